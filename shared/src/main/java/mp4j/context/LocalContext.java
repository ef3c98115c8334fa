package mp4j.context;

import mp4j.pool.Pool;
import mp4j.pool.PoolExecutor;
import mp4j.queues.JoinableQueue;
import mp4j.queues.Pipe;
import mp4j.queues.Queue;
import mp4j.sharedctypes.Value;
import mp4j.sharedmemory.SharedMemory;
import mp4j.synchronize.AbstractLock;
import mp4j.synchronize.Barrier;
import mp4j.synchronize.BoundedSemaphore;
import mp4j.synchronize.Condition;
import mp4j.synchronize.Event;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import mp4j.synchronize.Semaphore;
import mp4j.synchronize.SharedLock;

import java.util.concurrent.ExecutorService;

/** {@link Context#local()}: today's mp4j classes, in the current session. */
final class LocalContext implements Context
{
    static final LocalContext INSTANCE = new LocalContext();

    private LocalContext()
    {
    }

    @Override
    public String name()
    {
        return "local";
    }

    @Override
    public Pool pool(final int processes)
    {
        return new Pool(processes);
    }

    @Override
    public ExecutorService executor(final int processes)
    {
        return new PoolExecutor(processes);
    }

    @Override
    public Value value(final char typeCode, final long initial)
    {
        return new Value(typeCode, initial);
    }

    @Override
    public Value value(final char typeCode, final double initial)
    {
        return new Value(typeCode, initial);
    }

    @Override
    public Lock lock()
    {
        return new Lock();
    }

    @Override
    public RLock rlock()
    {
        return new RLock();
    }

    @Override
    public Semaphore semaphore(final int value)
    {
        return new Semaphore(value);
    }

    @Override
    public BoundedSemaphore boundedSemaphore(final int value)
    {
        return new BoundedSemaphore(value);
    }

    @Override
    public Event event()
    {
        return new Event();
    }

    @Override
    public Condition condition()
    {
        return new Condition();
    }

    @Override
    public Condition condition(final SharedLock lock)
    {
        if (!(lock instanceof AbstractLock local))
        {
            throw new IllegalArgumentException("a local Condition needs a local Lock or RLock, got " +
                (lock == null ? "null" : lock.getClass().getName()) + "; make it with the same context");
        }
        return new Condition(local);
    }

    @Override
    public Barrier barrier(final int parties)
    {
        return new Barrier(parties);
    }

    @Override
    public Queue queue(final int maxsize)
    {
        return new Queue(maxsize);
    }

    @Override
    public JoinableQueue joinableQueue(final int maxsize)
    {
        return new JoinableQueue(maxsize);
    }

    @Override
    public Pipe pipe(final boolean duplex)
    {
        return Pipe.create(duplex);
    }

    @Override
    public SharedMemory sharedMemory(final String name, final boolean create, final long size)
    {
        return SharedMemory.open(name, create, size);
    }

    @Override
    public String toString()
    {
        return "Context[local]";
    }
}
