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
 */
public final class Namespace implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final transient SharedDict<String, Object> attributes;

    Namespace(final Store store, final int id)
    {
        this.attributes = new SharedDict<>(store, id, ContainerLayout.NAMESPACE);
    }

    public int id()
    {
        return attributes.id();
    }

    private Object writeReplace() throws ObjectStreamException
    {
        return new ProxyRef(store().session.name(), store().index, attributes.id(), ContainerLayout.NAMESPACE);
    }

    private Store store()
    {
        return attributes.store();
    }

    /**
     * The attribute's value.
     *
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

    /** The attribute's value, or {@code otherwise} when there is none (Python's {@code getattr(ns, name, d)}). */
    @SuppressWarnings("unchecked")
    public <T> T get(final String name, final T otherwise)
    {
        final Object value = attributes.lookup(name);
        return value == SharedDict.ABSENT ? otherwise : (T)value;
    }

    public void set(final String name, final Object value)
    {
        attributes.write(name, value, false);
    }

    /** Python's {@code hasattr}. */
    public boolean has(final String name)
    {
        return attributes.containsKey(name);
    }

    /**
     * Python's {@code del ns.name}.
     *
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
     */
    @SuppressWarnings("unchecked")
    public <T> T merge(final String name, final T value, final BinaryOperator<T> function)
    {
        return (T)attributes.merge(name, value, (a, b) -> function.apply((T)a, (T)b));
    }

    /** The attributes' names, in the order they were first set. */
    public List<String> names()
    {
        return new ArrayList<>(attributes.keySet());
    }

    /** A copy of every attribute. */
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
