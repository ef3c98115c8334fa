package mp4j.cluster;

import mp4j.pool.RemoteFunction;
import mp4j.pool.StarFunction;
import mp4j.pool.TaskException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One task of a cluster pool, run on a server node: a function over a chunk of items (or one call). A task's own
 * exception comes back in the result, described as a local worker describes it ({@link TaskException#describe}),
 * never thrown through Ignite, so the caller tells "the task failed" (raise it, as locally) from "its node left"
 * (run it again elsewhere). Between items it checks for cancellation: when
 * the caller's JVM dies, Ignite cancels its jobs, and a chunk stops after the item under way.
 */
final class ChunkJob implements IgniteCallable<ChunkResult>
{
    private static final long serialVersionUID = 1L;

    private final RemoteFunction<Object, Object> function;
    private final StarFunction<Object> star;
    private final Callable<Object> callable;
    private final Object[] items;

    @IgniteInstanceResource
    private transient Ignite ignite;

    private ChunkJob(final RemoteFunction<Object, Object> function, final StarFunction<Object> star,
        final Callable<Object> callable, final Object[] items)
    {
        this.function = function;
        this.star = star;
        this.callable = callable;
        this.items = items;
    }

    @SuppressWarnings("unchecked")
    static ChunkJob map(final RemoteFunction<?, ?> function, final Object[] items)
    {
        return new ChunkJob((RemoteFunction<Object, Object>)function, null, null, items);
    }

    @SuppressWarnings("unchecked")
    static ChunkJob star(final StarFunction<?> star, final Object[] argumentLists)
    {
        return new ChunkJob(null, (StarFunction<Object>)star, null, argumentLists);
    }

    @SuppressWarnings("unchecked")
    static ChunkJob call(final Callable<?> callable)
    {
        return new ChunkJob(null, null, (Callable<Object>)callable, new Object[1]);
    }

    int size()
    {
        return items.length;
    }

    /** The class loader of the task's function, where its exception's class is looked for first. */
    ClassLoader loader()
    {
        final Object task = function != null ? function : star != null ? star : callable;
        final ClassLoader loader = task.getClass().getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    @Override
    public ChunkResult call()
    {
        final Ignite node = ignite != null ? ignite : Ignition.localIgnite();
        final ClusterNode local = node.cluster().localNode();
        final ChunkResult result = new ChunkResult();
        result.nodeId = local.id().toString().substring(0, 8);
        result.host = host(local);
        result.pid = ProcessHandle.current().pid();
        final List<Object> values = new ArrayList<>(items.length);
        for (final Object item : items)
        {
            if (Thread.currentThread().isInterrupted())
            {
                throw new IgniteInterruptedException("cancelled: the caller's task was cancelled, or its node left");
            }
            try
            {
                if (function != null)
                {
                    values.add(function.apply(item));
                }
                else if (star != null)
                {
                    values.add(star.apply((Object[])item));
                }
                else
                {
                    values.add(callable.call());
                }
            }
            catch (final Throwable t)
            {
                result.failure = TaskException.describe(t);
                return result;
            }
        }
        result.values = values;
        return result;
    }

    private static String host(final ClusterNode node)
    {
        for (final String address : node.addresses())
        {
            if (!address.contains(":") && !address.startsWith("127."))
            {
                return address;
            }
        }
        return node.addresses().isEmpty() ? "?" : node.addresses().iterator().next();
    }

    @Override
    public String toString()
    {
        return "ChunkJob[" + items.length + " items" + (items.length > 0 ? ", first " + Arrays.toString(
            Arrays.copyOf(items, Math.min(items.length, 1))) : "") + "]";
    }
}
