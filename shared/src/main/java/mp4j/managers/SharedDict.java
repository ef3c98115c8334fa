package mp4j.managers;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

import static mp4j.managers.ContainerLayout.DICT_TABLE;

/**
 * Python's {@code manager.dict()}: a map shared by the processes of a session, held by a {@link Manager}. Every
 * call is one step under the manager's lock, so {@link #compute}, {@link #merge}, {@link #putIfAbsent} and the
 * other {@link ConcurrentMap} operations are atomic across processes (Python's proxies are not: {@code d[k] += 1}
 * there is a get and a set). Keys and values are anything the codec carries (strings, numbers, arrays, lists,
 * serializable objects, other proxies), of any size; the dict grows as needed.
 * <pre>{@code
 * try (Manager manager = new Manager()) {
 *     SharedDict<String, Integer> counts = manager.dict();
 *     pool.map(word -> counts.merge(word, 1, Integer::sum), words);   // exact, whatever the processes do
 * }
 * }</pre>
 * <ul>
 * <li>Keys are the same key when their encodings are the same bytes: for strings, numbers and lists of them this
 *     is {@code equals}; {@code 1} (an Integer) and {@code 1L} are different keys, as in a {@code HashMap}.</li>
 * <li>Iteration is in insertion order, as a Python dict's, over a snapshot taken when the iterator is made (a
 *     {@code ConcurrentHashMap}'s iterators are weakly consistent too; Python's raise when the dict changes
 *     size). Changes through an iterator or an entry ({@code remove}, {@code setValue}) write through.</li>
 * <li>No null keys or values, as in any {@code ConcurrentMap}.</li>
 * <li>A function given to {@code compute}, {@code merge} and the like runs in the calling process while the
 *     manager is locked: keep it short, and do not use this manager's containers in it (that fails at once).</li>
 * <li>Passing the dict to a {@code Process}, a {@code Pool} task, through a {@code Queue} or as a value in another
 *     container sends a reference: every process sees the same dict.</li>
 * </ul>
 * Its bytes: a dict table of {@link ContainerLayout}, in its manager's segments.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
public final class SharedDict<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Serializable
{
    private static final long serialVersionUID = 1L;
    /** What {@link #lookup} returns for a key that is not there. */
    static final Object ABSENT = new Object();
    /** What a {@link SnapshotIterator} yields, as Python's {@code keys()}, {@code values()} and {@code items()}. */
    private static final int KEYS = 0;
    private static final int VALUES = 1;
    private static final int ITEMS = 2;

    private final transient Store store;
    private final transient int id;
    private final transient int kind;

    SharedDict(final Store store, final int id, final int kind)
    {
        this.store = store;
        this.id = id;
        this.kind = kind;
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

    Store store()
    {
        return store;
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
        return new ProxyRef(store.session.name(), store.index, id, kind);
    }

    private static void requireKey(final Object key)
    {
        if (key == null)
        {
            throw new NullPointerException("a SharedDict holds no null keys (as any ConcurrentMap)");
        }
    }

    private void requireValue(final Object value)
    {
        if (value == null && kind != ContainerLayout.NAMESPACE)
        {
            throw new NullPointerException("a SharedDict holds no null values (as any ConcurrentMap); remove the " +
                "key instead");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(final Object value)
    {
        return (T)value;
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Override
    public V get(final Object key)
    {
        final Object value = lookup(key);
        return value == ABSENT ? null : cast(value);
    }

    /** The value, or {@link #ABSENT}. */
    Object lookup(final Object key)
    {
        requireKey(key);
        final Scratch s = Scratch.take();
        try
        {
            s.key(key);
            final int length;
            store.lock();
            try
            {
                final long table = store.table(id);
                final int found = DictTable.find(store, table, s.key, s.keyLength, s.keyHash);
                if (found < 0)
                {
                    return ABSENT;
                }
                length = Records.copyValue(store,
                    DictTable.record(store, table, DictTable.entryAt(store, table, found)), s.copy, 0);
            }
            finally
            {
                store.unlock();
            }
            return s.decodeCopy(length);
        }
        finally
        {
            s.release();
        }
    }

    @Override
    public boolean containsKey(final Object key)
    {
        requireKey(key);
        final Scratch s = Scratch.take();
        try
        {
            s.key(key);
            store.lock();
            try
            {
                return DictTable.find(store, store.table(id), s.key, s.keyLength, s.keyHash) >= 0;
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
    public int size()
    {
        store.lock();
        try
        {
            return DictTable.live(store, store.table(id));
        }
        finally
        {
            store.unlock();
        }
    }

    @Override
    public boolean isEmpty()
    {
        return size() == 0;
    }

    // ----------------------------------------------------------------------------------------------- writes

    @Override
    public V put(final K key, final V value)
    {
        return cast(write(key, value, true));
    }

    /**
     * Python's {@code d[key] = value}: {@link #put} without reading back the value it replaces.
     *
     * @param key   the key, encoded into the manager's memory; never null, as in any {@code ConcurrentMap}.
     * @param value the value, encoded the same way; never null.
     * @throws NullPointerException   when {@code key} or {@code value} is null.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public void set(final K key, final V value)
    {
        write(key, value, false);
    }

    Object write(final Object key, final Object value, final boolean wantOld)
    {
        requireKey(key);
        requireValue(value);
        final Scratch s = Scratch.take();
        try
        {
            s.key(key).value(value);
            int oldLength = -1;
            store.lock();
            try
            {
                final long table = store.table(id);
                final int found = DictTable.find(store, table, s.key, s.keyLength, s.keyHash);
                final long record = Records.write(store, s.key, s.keyLength, s.value, s.valueLength);
                if (found >= 0)
                {
                    final long old = DictTable.replace(store, table, DictTable.entryAt(store, table, found), record);
                    if (wantOld)
                    {
                        oldLength = Records.copyValue(store, old, s.copy, 0);
                    }
                    store.free(old);
                }
                else
                {
                    DictTable.insert(store, id, table, found, s.key, s.keyLength, s.keyHash, record);
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
            return oldLength < 0 ? null : s.decodeCopy(oldLength);
        }
        finally
        {
            s.release();
        }
    }

    @Override
    public V remove(final Object key)
    {
        final Object old = delete(key, true);
        return old == ABSENT ? null : cast(old);
    }

    /** Removes the key; returns its value (null when not {@code wantOld}) or {@link #ABSENT}. */
    Object delete(final Object key, final boolean wantOld)
    {
        requireKey(key);
        final Scratch s = Scratch.take();
        try
        {
            s.key(key);
            int oldLength = -1;
            store.lock();
            try
            {
                final long table = store.table(id);
                final int found = DictTable.find(store, table, s.key, s.keyLength, s.keyHash);
                if (found < 0)
                {
                    return ABSENT;
                }
                final long old = DictTable.remove(store, table, found);
                if (wantOld)
                {
                    oldLength = Records.copyValue(store, old, s.copy, 0);
                }
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
            return oldLength < 0 ? null : s.decodeCopy(oldLength);
        }
        finally
        {
            s.release();
        }
    }

    @Override
    public void clear()
    {
        store.clear(id, DICT_TABLE);
    }

    /**
     * Copies every mapping of {@code map} in: other processes see all of them or none (the lock is held
     * throughout); a process killed in the middle leaves the ones up to a checkpoint (every few hundred keys).
     */
    @Override
    public void putAll(final Map<? extends K, ? extends V> map)
    {
        final int count = map.size();
        if (count == 0)
        {
            return;
        }
        final Batch batch = new Batch(2 * count);
        for (final Map.Entry<? extends K, ? extends V> e : map.entrySet())
        {
            requireKey(e.getKey());
            requireValue(e.getValue());
            if (batch.fields() == 2 * count)
            {
                break; // the map grew under us: the rest is not in the snapshot of its size
            }
            batch.encode(e.getKey());
            batch.encode(e.getValue());
        }
        final UnsafeBuffer key = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[0]);
        store.lock();
        try
        {
            long table = store.table(id);
            for (int i = 0; i < batch.fields(); i += 2)
            {
                batch.wrap(i, key);
                batch.wrap(i + 1, value);
                final int keyLength = batch.length(i);
                final int hash = Scratch.hash(key, 0, keyLength);
                final int found = DictTable.find(store, table, key, keyLength, hash);
                final long record = Records.write(store, key, keyLength, value, batch.length(i + 1));
                if (found >= 0)
                {
                    store.free(DictTable.replace(store, table, DictTable.entryAt(store, table, found), record));
                }
                else
                {
                    table = DictTable.insert(store, id, table, found, key, keyLength, hash, record);
                }
                if (store.checkpointDue())
                {
                    store.commit(); // a checkpoint: the undo log is bounded
                }
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

    // ------------------------------------------------------------------------------------ atomic updates

    /** What an atomic update does with the current value: the new value, or null to remove the key. */
    private interface Update
    {
        Object apply(Object current);
    }

    /**
     * Reads the key's value (null when absent), asks {@code update} for the new one and stores it (removes the
     * key for null), all under the lock. Returns what {@code returns} picks: the old or the new value.
     */
    private Object update(final Object key, final Update update, final boolean returnNew)
    {
        requireKey(key);
        final Scratch s = Scratch.take();
        try
        {
            s.key(key);
            store.lock();
            try
            {
                final long table = store.table(id);
                final int found = DictTable.find(store, table, s.key, s.keyLength, s.keyHash);
                Object old = null;
                int entry = -1;
                if (found >= 0)
                {
                    entry = DictTable.entryAt(store, table, found);
                    old = s.decodeCopy(Records.copyValue(store, DictTable.record(store, table, entry), s.copy, 0));
                }
                final Object result = update.apply(old);
                if (result == ABSENT || (found < 0 && result == null))
                {
                    return returnNew ? (result == ABSENT ? old : null) : old;
                }
                if (result == null)
                {
                    store.free(DictTable.remove(store, table, found));
                }
                else
                {
                    requireValue(result);
                    s.value(result);
                    final long record = Records.write(store, s.key, s.keyLength, s.value, s.valueLength);
                    if (found >= 0)
                    {
                        store.free(DictTable.replace(store, table, entry, record));
                    }
                    else
                    {
                        DictTable.insert(store, id, table, found, s.key, s.keyLength, s.keyHash, record);
                    }
                }
                store.commit();
                return returnNew ? result : old;
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
    public V compute(final K key, final BiFunction<? super K, ? super V, ? extends V> function)
    {
        Objects.requireNonNull(function, "function");
        return cast(update(key, old -> function.apply(key, cast(old)), true));
    }

    @Override
    public V computeIfAbsent(final K key, final Function<? super K, ? extends V> function)
    {
        Objects.requireNonNull(function, "function");
        return cast(update(key, old -> old != null ? ABSENT : function.apply(key), true));
    }

    @Override
    public V computeIfPresent(final K key, final BiFunction<? super K, ? super V, ? extends V> function)
    {
        Objects.requireNonNull(function, "function");
        return cast(update(key, old -> old == null ? null : function.apply(key, cast(old)), true));
    }

    @Override
    public V merge(final K key, final V value, final BiFunction<? super V, ? super V, ? extends V> function)
    {
        requireValue(value);
        Objects.requireNonNull(function, "function");
        return cast(update(key, old -> old == null ? value : function.apply(cast(old), value), true));
    }

    @Override
    public V putIfAbsent(final K key, final V value)
    {
        requireValue(value);
        return cast(update(key, old -> old != null ? ABSENT : value, false));
    }

    @Override
    public boolean remove(final Object key, final Object value)
    {
        if (key == null || value == null)
        {
            return false;
        }
        final boolean[] removed = new boolean[1];
        update(key, old ->
        {
            removed[0] = old != null && old.equals(value);
            return removed[0] ? null : ABSENT;
        }, false);
        return removed[0];
    }

    @Override
    public boolean replace(final K key, final V oldValue, final V newValue)
    {
        requireValue(oldValue);
        requireValue(newValue);
        final boolean[] replaced = new boolean[1];
        update(key, old ->
        {
            replaced[0] = old != null && old.equals(oldValue);
            return replaced[0] ? newValue : ABSENT;
        }, false);
        return replaced[0];
    }

    @Override
    public V replace(final K key, final V value)
    {
        requireValue(value);
        return cast(update(key, old -> old == null ? ABSENT : value, false));
    }

    // -------------------------------------------------------------------------------------------- views

    /**
     * A copy of every mapping, read in one step: Python's {@code d.copy()}.
     *
     * @return a new map, in insertion order.
     */
    public Map<K, V> copy()
    {
        final Batch snapshot = snapshot(true);
        final Map<K, V> copy = new LinkedHashMap<>();
        for (int i = 0; i < snapshot.fields(); i += 2)
        {
            copy.put(cast(snapshot.decode(i)), cast(snapshot.decode(i + 1)));
        }
        return copy;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet()
    {
        return new AbstractSet<>()
        {
            @Override
            public Iterator<Map.Entry<K, V>> iterator()
            {
                return new SnapshotIterator<>(ITEMS);
            }

            @Override
            public int size()
            {
                return SharedDict.this.size();
            }

            @Override
            public boolean contains(final Object o)
            {
                if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null)
                {
                    return false;
                }
                final Object value = lookup(e.getKey());
                return value != ABSENT && Objects.equals(value, e.getValue());
            }

            @Override
            public boolean remove(final Object o)
            {
                return o instanceof Map.Entry<?, ?> e && SharedDict.this.remove(e.getKey(), e.getValue());
            }

            @Override
            public void clear()
            {
                SharedDict.this.clear();
            }
        };
    }

    @Override
    public Set<K> keySet()
    {
        return new AbstractSet<>()
        {
            @Override
            public Iterator<K> iterator()
            {
                return new SnapshotIterator<>(KEYS);
            }

            @Override
            public int size()
            {
                return SharedDict.this.size();
            }

            @Override
            public boolean contains(final Object o)
            {
                return o != null && containsKey(o);
            }

            @Override
            public boolean remove(final Object o)
            {
                return o != null && delete(o, false) != ABSENT;
            }

            @Override
            public void clear()
            {
                SharedDict.this.clear();
            }
        };
    }

    @Override
    public Collection<V> values()
    {
        return new AbstractCollection<>()
        {
            @Override
            public Iterator<V> iterator()
            {
                return new SnapshotIterator<>(VALUES);
            }

            @Override
            public int size()
            {
                return SharedDict.this.size();
            }

            @Override
            public void clear()
            {
                SharedDict.this.clear();
            }
        };
    }

    /**
     * Iterates a snapshot of the {@link #KEYS}, the {@link #VALUES} or the {@link #ITEMS} (entries);
     * {@code remove()} removes the last key returned from the dict.
     */
    private final class SnapshotIterator<T> implements Iterator<T>
    {
        private final Batch snapshot;
        private final int yields;
        private int next;
        private int last = -1;

        SnapshotIterator(final int yields)
        {
            this.snapshot = snapshot(yields != KEYS);
            this.yields = yields;
        }

        @Override
        public boolean hasNext()
        {
            return next < snapshot.fields();
        }

        @Override
        public T next()
        {
            if (next >= snapshot.fields())
            {
                throw new NoSuchElementException();
            }
            last = next;
            next += 2;
            return cast(switch (yields)
            {
                case KEYS -> snapshot.decode(last);
                case VALUES -> snapshot.decode(last + 1);
                default -> new Entry(cast(snapshot.decode(last)), cast(snapshot.decode(last + 1)));
            });
        }

        @Override
        public void remove()
        {
            if (last < 0)
            {
                throw new IllegalStateException("next() has not been called, or remove() was called already");
            }
            delete(snapshot.decode(last), false);
            last = -1;
        }
    }

    /** An entry of an iteration: {@code setValue} writes through to the dict. */
    private final class Entry extends AbstractMap.SimpleEntry<K, V>
    {
        private static final long serialVersionUID = 1L;

        Entry(final K key, final V value)
        {
            super(key, value);
        }

        @Override
        public V setValue(final V value)
        {
            requireValue(value);
            final V old = super.setValue(value);
            put(getKey(), value);
            return old;
        }
    }

    /**
     * Every live entry, in insertion order, copied out in one step and decoded as it is asked for: entry {@code i}'s
     * key is field {@code 2 * i}, its value field {@code 2 * i + 1} (empty unless {@code values}).
     */
    private Batch snapshot(final boolean values)
    {
        store.lock();
        try
        {
            final long table = store.table(id);
            final int used = DictTable.used(store, table);
            final int live = DictTable.live(store, table);
            final Batch snapshot = new Batch(2 * live);
            for (int entry = 0; entry < used && snapshot.fields() < 2 * live; entry++)
            {
                final long record = DictTable.record(store, table, entry);
                if (record != 0)
                {
                    snapshot.copyRecord(store, record, values);
                }
            }
            return snapshot;
        }
        finally
        {
            store.unlock();
        }
    }

    @Override
    public String toString()
    {
        return store.isOpen() ? super.toString() : "<SharedDict #" + id + " of shut-down " + store.name + ">";
    }
}
