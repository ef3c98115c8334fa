package mp4j.managers;

import mp4j.queues.JoinableQueue;
import mp4j.queues.Queue;
import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.AbstractLock;
import mp4j.synchronize.Barrier;
import mp4j.synchronize.BoundedSemaphore;
import mp4j.synchronize.Condition;
import mp4j.synchronize.Event;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import mp4j.synchronize.Semaphore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static mp4j.managers.ContainerLayout.*;

/**
 * Python's {@code multiprocessing.Manager()} (a {@code SyncManager}): makes a dict, a list and a Namespace that
 * the processes of a session share and that grow as needed, hands out the session's own Lock, RLock, Value,
 * Queue, Event, Barrier and the rest, as Python's manager does, and keeps objects of a user's own registered types
 * in a server process ({@link #register}, Python's {@code BaseManager.register}).
 * <pre>{@code
 * try (Manager manager = new Manager()) {                 // Python: with Manager() as manager:
 *     SharedDict<String, Integer> d = manager.dict();     //     d = manager.dict()
 *     SharedList<Long> l = manager.list();                //     l = manager.list()
 *     Namespace ns = manager.namespace();                 //     ns = manager.Namespace()
 *     Lock lock = manager.lock();                         //     lock = manager.Lock()
 *     new Process(args -> d.merge("n", 1, Integer::sum)).start();
 * }                                                       // shut down: every proxy call fails from now on
 * }</pre>
 *
 * <h2>No manager process</h2>
 * CPython's manager is a server process that owns the objects; every proxy call is a round trip over a socket,
 * pickled both ways (here: 2-3 k locked increments/s from 4 processes, 15-23 k get/put calls/s from one). mp4j's
 * containers live directly in shared memory instead: a compact hash table (insertion ordered, as a Python dict)
 * and an array of references, over records in blocks of {@code /dev/shm} the manager makes as it grows
 * ({@link ContainerLayout}), all under one robust lock in the session file ({@link ManagerLayout}). A proxy call
 * is the caller's own work under that lock: no other process has to run for it, so nothing waits for a server
 * that was descheduled or killed, and a call costs a few hundred nanoseconds.
 * <p>
 * What this buys: a process killed at any point of an update leaves every container as it was before the
 * update or after it (an undo log, replayed by the next process to take the lock from the dead one, within the
 * lock's recovery bound of a few tens of milliseconds); no process owns the containers, so none can die and take
 * them along; {@code compute}/{@code merge}/{@code putIfAbsent} are atomic across processes. What it costs: one
 * lock per manager serializes the calls on all its containers (make several managers for independent hot
 * spots), and a function given to {@code compute} runs under that lock in the caller.
 * <p>
 * A user's own types need what the containers cannot give, objects with behaviour: {@link #register} and
 * {@link #create} are Python's design for them, a server process that owns the objects and runs their methods for
 * every process (over the session's queues; a call is a round trip between processes). If that process dies, its
 * objects are gone and every call on them throws {@link ServerDiedException} at once; the containers are not
 * affected.
 *
 * <h2>Lifetime</h2>
 * {@link #close()} (or {@link #shutdown()}) ends the manager for every process: later calls on its proxies throw
 * {@link ManagerClosedException}, and its blocks are removed from {@code /dev/shm}. A manager never closed goes
 * with its session: the session's end (or {@code launcher clean} after a crash) removes its blocks. Containers
 * live as long as their manager, whether or not anything still refers to them (Python frees an object when its
 * last proxy goes); a cleared container gives its memory back to the manager at once.
 * <p>
 * The manager itself may be passed to other processes (as an argument or captured by a lambda); they can make
 * containers with it too.
 */
public final class Manager extends SharedObject implements AutoCloseable
{
    private static final long serialVersionUID = 1L;

    private final transient Store store;

    /** A manager in the current session (created on first use). */
    public Manager()
    {
        this(Session.current());
    }

    /**
     * A manager in {@code session}, which need not be the current one.
     *
     * @param session the session whose file holds the manager's header and records its blocks.
     * @throws mp4j.session.SessionFullException when the session file has no room left for it.
     */
    public Manager(final Session session)
    {
        this(session, Store.create(session, null));
    }

    /** Attaches to the manager at {@code entry} (called through {@code SharedObjectRef} in a receiving process). */
    Manager(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.store = Store.of(session, entry);
    }

    /**
     * Python's {@code start()}: a manager is ready once constructed, so this only checks it is open.
     *
     * @return this manager, for chaining.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Manager start()
    {
        checkOpen();
        return this;
    }

    static Object proxy(final Store store, final int id, final int kind)
    {
        return switch (kind)
        {
            case DICT -> new SharedDict<>(store, id, DICT);
            case LIST -> new SharedList<>(store, id);
            case NAMESPACE -> new Namespace(store, id);
            default -> throw new IllegalStateException("no container kind " + kind);
        };
    }

    private int create(final int kind)
    {
        store.lock();
        try
        {
            final long table = kind == LIST ? ListTable.create(store, 0) : DictTable.create(store, 0);
            final int id = store.register(kind, table);
            store.commit();
            return id;
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
     * Python's {@code manager.dict()}: a new empty dict.
     *
     * @param <K> the key type; keys are compared by their encoded bytes' equality, as the table hashes them.
     * @param <V> the value type.
     * @return a proxy to the new dict, which can be passed to other processes.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public <K, V> SharedDict<K, V> dict()
    {
        return new SharedDict<>(store, create(DICT), DICT);
    }

    /**
     * Python's {@code manager.dict(mapping)}: a new dict holding a copy of {@code initial}'s mappings.
     *
     * @param <K>     the key type.
     * @param <V>     the value type.
     * @param initial the mappings to copy, in its iteration order; later changes to it are not seen.
     * @return a proxy to the new dict.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public <K, V> SharedDict<K, V> dict(final Map<? extends K, ? extends V> initial)
    {
        final SharedDict<K, V> dict = dict();
        dict.putAll(initial);
        return dict;
    }

    /**
     * Python's {@code manager.list()}: a new empty list.
     *
     * @param <E> the element type.
     * @return a proxy to the new list, which can be passed to other processes.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public <E> SharedList<E> list()
    {
        return new SharedList<>(store, create(LIST));
    }

    /**
     * Python's {@code manager.list(sequence)}: a new list holding {@code initial}'s elements.
     *
     * @param <E>     the element type.
     * @param initial the elements to copy, in its iteration order.
     * @return a proxy to the new list.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public <E> SharedList<E> list(final Collection<? extends E> initial)
    {
        final SharedList<E> list = list();
        list.addAll(initial);
        return list;
    }

    /**
     * Python's {@code manager.Namespace()}: named attributes any process reads and sets.
     *
     * @return a proxy to the new, empty namespace.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Namespace namespace()
    {
        return new Namespace(store, create(NAMESPACE));
    }

    /**
     * Python's {@code BaseManager.register(typeid, callable)}: objects of type {@code typeId}, made by
     * {@code factory}, will live in this manager's server process, and their methods run there for every process
     * that calls them ({@link #create}). The first registration starts that process (a daemon child of this one:
     * it ends when the manager is shut down, or with this process); any process of the session can register and
     * create. This is Python's design, a process that owns objects: a call costs a round trip between processes
     * (tens of microseconds, not the nanoseconds of a dict's), and if the server dies, its objects are gone and
     * every call on them throws {@link ServerDiedException} at once.
     *
     * @param typeId  the name {@link #create} takes; registering it again replaces the factory.
     * @param factory makes an object from {@code create}'s arguments; it runs in the server process, so it must be
     *                serializable (a lambda given where this type is expected is).
     * @throws ManagerClosedException after the manager was shut down.
     */
    public void register(final String typeId, final RemoteFactory<?> factory)
    {
        checkOpen();
        store.client().ensureServer(this);
        store.client().call(ManagerServer.REGISTER, -1, typeId, new Object[] {factory});
    }

    /**
     * Python's {@code manager.typeid(*args)}: a new object of a registered type, in the server process.
     *
     * @param typeId a name given to {@link #register}.
     * @param args   the factory's arguments, sent encoded.
     * @return a proxy whose calls run the object's methods in the server.
     * @throws RemoteCallException     when the server cannot make it (a type not registered, or the factory threw).
     * @throws ServerDiedException     when the server process has died.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public RemoteObject create(final String typeId, final Object... args)
    {
        checkOpen();
        final Object id = store.client().call(ManagerServer.CREATE, -1, typeId, args);
        return new RemoteObject(store, (Integer)id, typeId);
    }

    /**
     * {@link #create} seen through an interface of the object's class: {@code manager.create("c", Counter.class)}.
     *
     * @param <T>    the interface.
     * @param typeId a name given to {@link #register}.
     * @param type   an interface the object's class implements; each of its methods becomes a remote call.
     * @param args   the factory's arguments, sent encoded.
     * @return a proxy implementing {@code type}.
     * @throws RemoteCallException     when the server cannot make it.
     * @throws ServerDiedException     when the server process has died.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public <T> T create(final String typeId, final Class<T> type, final Object... args)
    {
        return create(typeId, args).as(type);
    }

    /**
     * The pid of the manager's server process (see {@link #register}).
     *
     * @return the pid, 0 while it has none.
     */
    public long serverPid()
    {
        return store.client().serverPid();
    }

    /**
     * Python's {@code manager.Lock()}: the session's {@link Lock} (robust: a holder killed is recovered).
     *
     * @return a new lock.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Lock lock()
    {
        checkOpen();
        return Lock.create(session, null);
    }

    /**
     * Python's {@code manager.RLock()}.
     *
     * @return a new recursive lock.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public RLock rlock()
    {
        checkOpen();
        return RLock.create(session, null);
    }

    /**
     * Python's {@code manager.Semaphore(value)}.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @param value the initial permits, 0 or more.
     * @return a new semaphore.
     * @throws IllegalArgumentException when {@code value} is negative.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public Semaphore semaphore(final int value)
    {
        checkCurrent();
        return new Semaphore(value);
    }

    /**
     * Python's {@code manager.BoundedSemaphore(value)}.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @param value the initial permits and their bound, 0 or more.
     * @return a new bounded semaphore.
     * @throws IllegalArgumentException when {@code value} is negative.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public BoundedSemaphore boundedSemaphore(final int value)
    {
        checkCurrent();
        return new BoundedSemaphore(value);
    }

    /**
     * Python's {@code manager.Condition()}: with a new RLock.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @return a new condition.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public Condition condition()
    {
        checkCurrent();
        return new Condition();
    }

    /**
     * Python's {@code manager.Condition(lock)}.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @param lock a Lock or RLock of this session.
     * @return a new condition that waits with {@code lock}.
     * @throws IllegalArgumentException when {@code lock} is of another session.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public Condition condition(final AbstractLock lock)
    {
        checkCurrent();
        return new Condition(lock);
    }

    /**
     * Python's {@code manager.Event()}.
     *
     * @return a new event, not set.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Event event()
    {
        checkOpen();
        return Event.create(session, null);
    }

    /**
     * Python's {@code manager.Barrier(parties)}.
     *
     * @param parties how many must wait before all go on, at least 1.
     * @return a new barrier.
     * @throws IllegalArgumentException when {@code parties} is below 1.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Barrier barrier(final int parties)
    {
        checkOpen();
        return Barrier.create(session, null, parties);
    }

    /**
     * Python's {@code manager.Value(typecode, value)}: an integer type ('i', 'q', ...).
     *
     * @param typeCode a ctypes type code of {@link mp4j.sharedctypes.CTypes#CODES}.
     * @param initial  the first value, wrapped to the type's width.
     * @return a new Value with its own RLock.
     * @throws IllegalArgumentException when the type code is unknown.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Value value(final char typeCode, final long initial)
    {
        checkOpen();
        final Value value = Value.create(session, null, typeCode, true);
        value.set(initial);
        return value;
    }

    /**
     * Python's {@code manager.Value(typecode, value)}: a floating point type ('d', 'f').
     *
     * @param typeCode 'd' or 'f'.
     * @param initial  the first value.
     * @return a new Value with its own RLock.
     * @throws IllegalArgumentException when the type code is unknown.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Value value(final char typeCode, final double initial)
    {
        checkOpen();
        final Value value = Value.create(session, null, typeCode, true);
        value.setDouble(initial);
        return value;
    }

    /**
     * Python's {@code manager.Array(typecode, size)}: zeros.
     *
     * @param typeCode a ctypes type code of {@link mp4j.sharedctypes.CTypes#CODES}.
     * @param length   the number of elements, 0 or more.
     * @return a new Array with its own RLock.
     * @throws IllegalArgumentException when the type code is unknown or {@code length} negative or too large.
     * @throws ManagerClosedException after the manager was shut down.
     */
    public Array array(final char typeCode, final int length)
    {
        checkOpen();
        return Array.create(session, null, typeCode, length, true);
    }

    /**
     * Python's {@code manager.Queue()}: the session's {@link Queue}.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @return a new, unbounded queue.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public Queue queue()
    {
        checkCurrent();
        return new Queue();
    }

    /**
     * Python's {@code manager.Queue(maxsize)}.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @param maxsize the most values it holds; 0 is unbounded.
     * @return a new queue.
     * @throws IllegalArgumentException when {@code maxsize} is negative.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public Queue queue(final int maxsize)
    {
        checkCurrent();
        return new Queue(maxsize);
    }

    /**
     * Python's {@code manager.JoinableQueue()}.
     * Made in the manager's session, which must be this process's current one (the primitive's constructor makes
     * it there).
     *
     * @return a new, unbounded joinable queue.
     * @throws ManagerClosedException after the manager was shut down.
     * @throws IllegalStateException when the manager's session is not this process's current session.
     */
    public JoinableQueue joinableQueue()
    {
        checkCurrent();
        return new JoinableQueue();
    }

    /**
     * Containers made so far.
     *
     * @return the count; their ids are 0 to {@code containers() - 1}.
     */
    public int containers()
    {
        return store.containers();
    }

    /**
     * Bytes of /dev/shm the manager has made for its containers (most of it untouched, so not yet memory).
     *
     * @return the sum of its segments' sizes.
     */
    public long segmentBytes()
    {
        return store.totalSegmentBytes();
    }

    /**
     * Bytes of those segments that hold live data (records, tables), as handed out by the allocator.
     *
     * @return the bytes in use, block headers included.
     */
    public long bytesInUse()
    {
        return store.header.getLongVolatile(ManagerLayout.BYTES_IN_USE_OFFSET);
    }

    /**
     * Walks every block of the manager under its lock and checks it is whole (see {@link ManagerCheck}): no block
     * lost, none reachable twice, the tables consistent. It reads everything, so it takes time in proportion to
     * the manager's size; for tests and diagnosis.
     *
     * @return what the walk found.
     */
    public ManagerCheck check()
    {
        store.lock();
        try
        {
            return ManagerCheck.walk(store);
        }
        finally
        {
            store.unlock();
        }
    }

    /**
     * The names of the manager's blocks in /dev/shm.
     *
     * @return the names ({@code psm_...}), in the order they were made.
     */
    public List<String> blockNames()
    {
        final List<String> names = new ArrayList<>();
        for (int segment = 0; segment < store.segmentCount(); segment++)
        {
            names.add(store.segmentName(segment));
        }
        return names;
    }

    /**
     * Whether the manager was shut down, by this process or another.
     *
     * @return true after {@link #close()} or {@link #shutdown()}.
     */
    public boolean isClosed()
    {
        return !store.isOpen();
    }

    /** For the primitives whose classes make them in the current session only. */
    private void checkCurrent()
    {
        checkOpen();
        if (Session.currentOrNull() != session)
        {
            throw new IllegalStateException(name() + " is in session " + session.name() + ", not in this process's " +
                "current session: it can make this primitive only in its own session when that is the current one");
        }
    }

    private void checkOpen()
    {
        if (!store.isOpen())
        {
            throw store.closed();
        }
    }

    /** Python's {@code shutdown()}: the same as {@link #close()}. */
    public void shutdown()
    {
        close();
    }

    /**
     * Ends the manager for every process of the session: its containers are gone, later calls on their proxies
     * throw {@link ManagerClosedException}, its blocks are removed from /dev/shm. The session's Lock, Queue and
     * other primitives it handed out stay (they belong to the session). Later calls do nothing.
     */
    @Override
    public void close()
    {
        store.client().shutdown();
        store.close();
    }

    @Override
    public String toString()
    {
        return "<Manager " + name() + " of " + session.name() + (isClosed() ? ", shut down" : "") + ">";
    }
}
