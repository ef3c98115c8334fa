package mp4j.managers;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

import static mp4j.managers.ContainerLayout.LIST_TABLE;

/**
 * Python's {@code manager.list()}: a list shared by the processes of a session, held by a {@link Manager}. Each
 * call is one step under the manager's lock, so {@code add}, {@code remove(int)}, {@link #pop()}, {@link #sort}
 * and {@code addAll} are atomic across processes. Elements are anything the codec carries (nulls too), of any
 * size; the list grows as needed.
 * <pre>{@code
 * SharedList<Long> pids = manager.list();
 * new Process(args -> pids.add(ProcessHandle.current().pid())).start();   // Python: l.append(os.getpid())
 * }</pre>
 * Iterating reads element by element, as Python's list proxy does: an element changed meanwhile is seen changed.
 * {@link #copy()} (Python's {@code l[:]}), {@code toArray}, {@code toString}, {@code equals}, {@code indexOf} and
 * {@code contains} read the whole list in one step. Passing the list to a {@code Process}, a {@code Pool} task,
 * through a {@code Queue} or as a value in another container sends a reference: every process sees the same list.
 * Its bytes: a list table of {@link ContainerLayout}, in its manager's segments.
 *
 * @param <E> the element type.
 */
public final class SharedList<E> extends AbstractList<E> implements RandomAccess, Serializable
{
    private static final long serialVersionUID = 1L;

    private final transient Store store;
    private final transient int id;

    SharedList(final Store store, final int id)
    {
        this.store = store;
        this.id = id;
    }

    /**
     * The container's number in its manager.
     *
     * @return the id, from 0.
     */
    public int id()
    {
        return id;
    }

    /**
     * The manager that holds it.
     *
     * @return the manager's name in its session's directory.
     */
    public String managerName()
    {
        return store.name;
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
        return new ProxyRef(store.session.name(), store.index, id, ContainerLayout.LIST);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(final Object value)
    {
        return (T)value;
    }

    private static IndexOutOfBoundsException outOfBounds(final int index, final int size)
    {
        return new IndexOutOfBoundsException("index " + index + " is out of range for a list of " + size +
            " (Java lists take no negative index; use size() - 1 for Python's -1)");
    }

    private static void checkIndex(final int index, final int size)
    {
        if (index < 0 || index >= size)
        {
            throw outOfBounds(index, size);
        }
    }

    /** Element {@code index}, decoded while the lock is held (for a call that compares elements). */
    private Object decode(final Scratch s, final long table, final int index)
    {
        return s.decodeCopy(Records.copyValue(store, ListTable.record(store, table, index), s.copy, 0));
    }

    @Override
    public int size()
    {
        store.lock();
        try
        {
            return ListTable.size(store, store.table(id));
        }
        finally
        {
            store.unlock();
        }
    }

    @Override
    public E get(final int index)
    {
        final Scratch s = Scratch.take();
        try
        {
            final int length;
            store.lock();
            try
            {
                final long table = store.table(id);
                checkIndex(index, ListTable.size(store, table));
                length = Records.copyValue(store, ListTable.record(store, table, index), s.copy, 0);
            }
            finally
            {
                store.unlock();
            }
            return cast(s.decodeCopy(length));
        }
        finally
        {
            s.release();
        }
    }

    @Override
    public E set(final int index, final E element)
    {
        final Scratch s = Scratch.take();
        try
        {
            s.value(element);
            final int length;
            store.lock();
            try
            {
                final long table = store.table(id);
                checkIndex(index, ListTable.size(store, table));
                final long old = ListTable.set(store, table, index,
                    Records.write(store, s.key, 0, s.value, s.valueLength));
                length = Records.copyValue(store, old, s.copy, 0);
                store.free(old);
                store.commit();
            }
            catch (final RuntimeException | Error ex)
            {
                store.abort();
                throw ex;
            }
            finally
            {
                store.unlock();
            }
            return cast(s.decodeCopy(length));
        }
        finally
        {
            s.release();
        }
    }

    /** Python's {@code append}. */
    @Override
    public boolean add(final E element)
    {
        final Scratch s = Scratch.take();
        try
        {
            s.value(element);
            store.lock();
            try
            {
                final long table = ListTable.reserve(store, id, store.table(id), 1);
                ListTable.append(store, table, Records.write(store, s.key, 0, s.value, s.valueLength));
                store.commit();
            }
            catch (final RuntimeException | Error ex)
            {
                store.abort();
                throw ex;
            }
            finally
            {
                store.unlock();
            }
            return true;
        }
        finally
        {
            s.release();
        }
    }

    /** Python's {@code insert}: shifts the element at {@code index} and after it up by one. */
    @Override
    public void add(final int index, final E element)
    {
        final Scratch s = Scratch.take();
        try
        {
            s.value(element);
            store.lock();
            try
            {
                final long table = store.table(id);
                final int size = ListTable.size(store, table);
                if (index < 0 || index > size)
                {
                    throw outOfBounds(index, size);
                }
                final long record = Records.write(store, s.key, 0, s.value, s.valueLength);
                if (index == size)
                {
                    ListTable.append(store, ListTable.reserve(store, id, table, 1), record);
                }
                else
                {
                    ListTable.insert(store, id, table, index, record);
                }
                store.commit();
            }
            catch (final RuntimeException | Error ex)
            {
                store.abort();
                throw ex;
            }
            finally
            {
                store.unlock();
            }
        }
        finally
        {
            s.release();
        }
    }

    @Override
    public E remove(final int index)
    {
        return removeAt(index, false);
    }

    /**
     * Python's {@code pop()}: removes and returns the last element, in one step.
     *
     * @return the element removed.
     * @throws IndexOutOfBoundsException when the list is empty (Python's IndexError).
     */
    public E pop()
    {
        return removeAt(-1, true);
    }

    /** Removes and returns element {@code index}, or the last one when {@code last} (Python's {@code pop()}). */
    private E removeAt(final int index, final boolean last)
    {
        final Scratch s = Scratch.take();
        try
        {
            final int length;
            store.lock();
            try
            {
                final long table = store.table(id);
                final int size = ListTable.size(store, table);
                if (size == 0)
                {
                    throw new IndexOutOfBoundsException("pop from empty list");
                }
                final int at = last ? size - 1 : index;
                checkIndex(at, size);
                final long old = ListTable.remove(store, id, table, at);
                length = Records.copyValue(store, old, s.copy, 0);
                store.free(old);
                store.commit();
            }
            catch (final RuntimeException | Error ex)
            {
                store.abort();
                throw ex;
            }
            finally
            {
                store.unlock();
            }
            return cast(s.decodeCopy(length));
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Python's {@code pop(i)}: removes and returns element {@code index}.
     *
     * @param index the element's index.
     * @return the element removed.
     * @throws IndexOutOfBoundsException when there is no such element.
     */
    public E pop(final int index)
    {
        return remove(index);
    }

    /** Removes the first element equal to {@code o}, in one step (Python's {@code remove}). */
    @Override
    public boolean remove(final Object o)
    {
        final Scratch s = Scratch.take();
        try
        {
            store.lock();
            try
            {
                final long table = store.table(id);
                final int size = ListTable.size(store, table);
                for (int i = 0; i < size; i++)
                {
                    if (Objects.equals(o, decode(s, table, i)))
                    {
                        store.free(ListTable.remove(store, id, table, i));
                        store.commit();
                        return true;
                    }
                }
                return false;
            }
            catch (final RuntimeException | Error ex)
            {
                store.abort();
                throw ex;
            }
            finally
            {
                store.unlock();
            }
        }
        finally
        {
            s.release();
        }
    }

    @Override
    public void clear()
    {
        store.clear(id, LIST_TABLE);
    }

    /** Python's {@code extend}: other processes see every element added or none. */
    @Override
    public boolean addAll(final Collection<? extends E> elements)
    {
        return addAll(-1, elements);
    }

    /**
     * Inserts the elements before {@code index}; other processes see all of them or none (the lock is held
     * throughout). A process killed in the middle of a long one leaves the elements up to a checkpoint (every few
     * hundred), at the end of the list.
     */
    @Override
    public boolean addAll(final int index, final Collection<? extends E> elements)
    {
        final Object[] items = elements.toArray();
        if (items.length == 0)
        {
            return false;
        }
        final Batch batch = new Batch(items.length);
        for (final Object item : items)
        {
            batch.encode(item);
        }
        final UnsafeBuffer item = new UnsafeBuffer(new byte[0]);
        store.lock();
        try
        {
            long table = store.table(id);
            final int size = ListTable.size(store, table);
            if (index > size || index < -1)
            {
                throw outOfBounds(index, size);
            }
            table = ListTable.reserve(store, id, table, items.length);
            for (int i = 0; i < items.length; i++)
            {
                batch.wrap(i, item);
                final long record = Records.write(store, item, 0, item, batch.length(i)); // a list's has no key
                ListTable.appendUnpublished(store, table, size + i, record);
                if (store.checkpointDue())
                {
                    ListTable.setSize(store, table, size + i + 1);
                    store.commit(); // a checkpoint: the undo log is bounded
                }
            }
            ListTable.setSize(store, table, size + items.length);
            if (index >= 0 && index < size)
            {
                final int[] order = new int[size + items.length];
                for (int i = 0; i < order.length; i++)
                {
                    order[i] = i < index ? i : i < index + items.length ? size + i - index : i - items.length;
                }
                ListTable.permute(store, id, table, order);
            }
            store.commit();
            return true;
        }
        catch (final RuntimeException | Error ex)
        {
            store.abort();
            throw ex;
        }
        finally
        {
            store.unlock();
        }
    }

    /**
     * Sorts the list in one step (Java's default reads, sorts and writes back element by element). The elements
     * are decoded and compared in this process while the manager is locked; they are not copied, only reordered.
     */
    @Override
    public void sort(final Comparator<? super E> comparator)
    {
        reorder(comparator, false);
    }

    /** Python's {@code reverse()}, in one step. */
    public void reverse()
    {
        reorder(null, true);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void reorder(final Comparator<? super E> comparator, final boolean reverse)
    {
        final Scratch s = Scratch.take();
        try
        {
            store.lock();
            try
            {
                final long table = store.table(id);
                final int size = ListTable.size(store, table);
                final Integer[] order = new Integer[size];
                for (int i = 0; i < size; i++)
                {
                    order[i] = reverse ? size - 1 - i : i;
                }
                if (!reverse)
                {
                    final Object[] elements = new Object[size];
                    for (int i = 0; i < size; i++)
                    {
                        elements[i] = decode(s, table, i);
                    }
                    final Comparator<Object> by = comparator != null ? (Comparator<Object>)comparator :
                        (a, b) -> ((Comparable)a).compareTo(b);
                    Arrays.sort(order, (a, b) -> by.compare(elements[a], elements[b])); // stable, as Python's
                }
                final int[] rows = new int[size];
                for (int i = 0; i < size; i++)
                {
                    rows[i] = order[i];
                }
                ListTable.permute(store, id, table, rows);
                store.commit();
            }
            catch (final RuntimeException | Error ex)
            {
                store.abort();
                throw ex;
            }
            finally
            {
                store.unlock();
            }
        }
        finally
        {
            s.release();
        }
    }

    /**
     * Every element, read in one step: Python's {@code l[:]}.
     *
     * @return a new list.
     */
    public List<E> copy()
    {
        final Batch snapshot;
        store.lock();
        try
        {
            final long table = store.table(id);
            final int size = ListTable.size(store, table);
            snapshot = new Batch(size);
            for (int i = 0; i < size; i++)
            {
                snapshot.copyValue(store, ListTable.record(store, table, i));
            }
        }
        finally
        {
            store.unlock();
        }
        final List<E> copy = new ArrayList<>(snapshot.fields());
        for (int i = 0; i < snapshot.fields(); i++)
        {
            copy.add(cast(snapshot.decode(i)));
        }
        return copy;
    }

    @Override
    public Object[] toArray()
    {
        return copy().toArray();
    }

    @Override
    public <T> T[] toArray(final T[] a)
    {
        return copy().toArray(a);
    }

    @Override
    public int indexOf(final Object o)
    {
        return copy().indexOf(o);
    }

    @Override
    public int lastIndexOf(final Object o)
    {
        return copy().lastIndexOf(o);
    }

    @Override
    public boolean contains(final Object o)
    {
        return copy().contains(o);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o == this || (o instanceof List<?> other && copy().equals(o instanceof SharedList<?> shared ?
            shared.copy() : other));
    }

    @Override
    public int hashCode()
    {
        return copy().hashCode();
    }

    @Override
    public String toString()
    {
        return store.isOpen() ? copy().toString() : "<SharedList #" + id + " of shut-down " + store.name + ">";
    }
}
