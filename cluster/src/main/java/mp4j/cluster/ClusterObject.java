package mp4j.cluster;

import org.apache.ignite.Ignite;

import java.io.Serializable;
import java.util.UUID;

/**
 * What every cluster object is: a name on the cluster. It travels to a task by name only (its Ignite handles are
 * transient) and finds its data again on the node that runs the task, as a local mp4j object finds its bytes in
 * the session file. {@link #destroy()} removes it for every process; {@code close()} on a queue only ends this
 * handle, as in Python.
 */
public abstract class ClusterObject implements Serializable
{
    private static final long serialVersionUID = 1L;

    /** The object's name on the cluster, the key of its Ignite structures; what travels to a task. */
    private final String name;
    private transient volatile Ignite ignite;

    /**
     * A handle on the cluster object {@code name}; the subclass makes or finds its Ignite structures.
     *
     * @param ignite the node of this JVM the handle uses until it is serialized.
     * @param name   the object's name on the cluster.
     */
    protected ClusterObject(final Ignite ignite, final String name)
    {
        this.ignite = ignite;
        this.name = name;
    }

    /** A fresh name: the kind and 8 hex digits ("Lock-3f2a9c1b"). */
    static String newName(final String kind)
    {
        return kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The name the object has on the cluster ({@code launcher cluster} lists it).
     *
     * @return the name given, or the one made for it ("Lock-3f2a9c1b").
     */
    public final String name()
    {
        return name;
    }

    /**
     * The node of this JVM.
     *
     * @return the one the handle was made with, or (after travelling to a task) the node running it.
     * @throws IllegalStateException when this JVM runs no Ignite node, or several and has connected none.
     */
    protected final Ignite ignite()
    {
        Ignite i = ignite;
        if (i == null)
        {
            i = ignite = ClusterContext.localIgnite();
        }
        return i;
    }

    /**
     * The error for an object whose data is no longer on the cluster.
     *
     * @return an exception naming the object, for the caller to throw.
     */
    protected final IllegalStateException gone()
    {
        return new IllegalStateException(getClass().getSimpleName().replace("Cluster", "") + " '" + name +
            "' is no longer on the cluster: it was destroyed, or every node holding it (and its backups) was lost");
    }

    /** Removes the object from the cluster, for every process that uses it. */
    public abstract void destroy();

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
