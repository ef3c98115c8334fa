package mp4j.managers;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BinaryOperator;

/**
 * Python's {@code manager.Namespace()}: named attributes shared by the processes of a session. Java has no
 * {@code ns.x = 1}, so it is {@code ns.set("x", 1)} and {@code ns.get("x")}; an attribute may hold null (Python's
 * None). {@link #merge} updates one in a single step across processes, which Python's {@code ns.x += 1} does not.
 * <pre>{@code
 * Namespace ns = manager.namespace();
 * ns.set("name", "Bob");
 * ns.get("name");                 // "Bob"
 * ns.delete("name");
 * ns.has("name");                 // false; ns.get("name") throws NoSuchElementException (Python's AttributeError)
 * }</pre>
 * Its bytes: a dict table of {@link ContainerLayout}, in its manager's segments.
 */
public final class Namespace implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final transient SharedDict<String, Object> attributes;

    Namespace(final Store store, final int id)
    {
        this.attributes = new SharedDict<>(store, id, ContainerLayout.NAMESPACE);
    }

    /**
     * The container's number in its manager.
     *
     * @return the id, from 0.
     */
    public int id()
    {
        return attributes.id();
    }

    /**
     * Serialization: a proxy travels as a {@code ProxyRef} (session, manager, container id), as Python pickles a
     * proxy as its token; nothing of the content travels.
     *
     * @return the reference the receiving process attaches with.
     * @throws ObjectStreamException never; declared by the serialization contract.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return new ProxyRef(store().session.name(), store().index, attributes.id(), ContainerLayout.NAMESPACE);
    }

    private Store store()
    {
        return attributes.store();
    }

    /**
     * The attribute's value: Python's {@code ns.name}.
     *
     * @param <T>  the value's type, as the caller expects it (not checked: a wrong one fails where it is used).
     * @param name the attribute's name.
     * @return the value, decoded.
     * @throws NoSuchElementException when there is none (Python's AttributeError).
     */
    @SuppressWarnings("unchecked")
    public <T> T get(final String name)
    {
        final Object value = attributes.lookup(name);
        if (value == SharedDict.ABSENT)
        {
            throw new NoSuchElementException("'Namespace' object has no attribute '" + name + "'");
        }
        return (T)value;
    }

    /**
     * The attribute's value, or {@code otherwise} when there is none: Python's {@code getattr(ns, name, d)}.
     *
     * @param <T>       the value's type, as the caller expects it.
     * @param name      the attribute's name.
     * @param otherwise what to return when there is no such attribute.
     * @return the value, or {@code otherwise}.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(final String name, final T otherwise)
    {
        final Object value = attributes.lookup(name);
        return value == SharedDict.ABSENT ? otherwise : (T)value;
    }

    /**
     * Sets an attribute: Python's {@code ns.name = value}.
     *
     * @param name  the attribute's name.
     * @param value the value, encoded into the manager's memory; later changes to the object are not seen.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public void set(final String name, final Object value)
    {
        attributes.write(name, value, false);
    }

    /**
     * Whether the attribute exists: Python's {@code hasattr(ns, name)}.
     *
     * @param name the attribute's name.
     * @return true when it was set and not deleted.
     */
    public boolean has(final String name)
    {
        return attributes.containsKey(name);
    }

    /**
     * Python's {@code del ns.name}.
     *
     * @param name the attribute's name.
     * @throws NoSuchElementException when there is no such attribute.
     */
    public void delete(final String name)
    {
        if (attributes.delete(name, false) == SharedDict.ABSENT)
        {
            throw new NoSuchElementException("'Namespace' object has no attribute '" + name + "'");
        }
    }

    /**
     * Sets the attribute to {@code value} if it has none, else to {@code function(old, value)}, in one step across
     * processes: {@code ns.merge("count", 1, Integer::sum)}.
     *
     * @param <T>      the value's type.
     * @param name     the attribute's name.
     * @param value    the value to set, or to combine with the old one.
     * @param function combines the old value and {@code value}; it runs in this process under the manager's lock,
     *                 so it must not use the manager's containers.
     * @return the attribute's new value.
     */
    @SuppressWarnings("unchecked")
    public <T> T merge(final String name, final T value, final BinaryOperator<T> function)
    {
        return (T)attributes.merge(name, value, (a, b) -> function.apply((T)a, (T)b));
    }

    /**
     * The attributes' names.
     *
     * @return a new list, in the order they were first set.
     */
    public List<String> names()
    {
        return new ArrayList<>(attributes.keySet());
    }

    /**
     * A copy of every attribute, read in one step.
     *
     * @return a new map, in the order they were first set.
     */
    public Map<String, Object> toMap()
    {
        return attributes.copy();
    }

    /** As Python's: {@code Namespace(job='Builder', name='Bob')}, sorted, without names that start with '_'. */
    @Override
    public String toString()
    {
        if (!store().isOpen())
        {
            return "<Namespace #" + id() + " of shut-down " + store().name + ">";
        }
        final List<String> items = new ArrayList<>();
        for (final Map.Entry<String, Object> e : attributes.copy().entrySet())
        {
            if (!e.getKey().startsWith("_"))
            {
                items.add(e.getKey() + "=" + repr(e.getValue()));
            }
        }
        items.sort(null);
        return "Namespace(" + String.join(", ", items) + ")";
    }

    private static String repr(final Object value)
    {
        return value instanceof String s ? "'" + s + "'" : value == null ? "None" : String.valueOf(value);
    }
}
