package mp4j.context;

import mp4j.pool.ProcessPool;
import mp4j.queues.Pipe;
import mp4j.queues.SharedJoinableQueue;
import mp4j.queues.SharedQueue;
import mp4j.sharedctypes.SharedValue;
import mp4j.sharedmemory.SharedMemory;
import mp4j.synchronize.SharedBarrier;
import mp4j.synchronize.SharedCondition;
import mp4j.synchronize.SharedEvent;
import mp4j.synchronize.SharedLock;
import mp4j.synchronize.SharedRLock;
import mp4j.synchronize.SharedSemaphore;

import java.util.concurrent.ExecutorService;

/**
 * Where a program's processes run and share state: Python's {@code multiprocessing} context
 * ({@code get_context()}). Every factory returns an object that can be passed to (or captured by) a task the
 * context's pool runs, and that works there as it does here.
 * <p>
 * {@link #local()} is mp4j on one machine. A cluster context ({@code mp4j.cluster.ClusterContext}, module
 * {@code mp4j-cluster}) implements the same interface over Apache Ignite; what has no meaning there
 * ({@link #pipe}, {@link #sharedMemory}) throws {@link UnsupportedOperationException} naming what to use instead.
 */
public interface Context
{
    /** The context of this machine: worker JVMs and objects in the current session's {@code /dev/shm} file. */
    static Context local()
    {
        return LocalContext.INSTANCE;
    }

    /** {@code "local"} or {@code "cluster"}. */
    String name();

    /** Python's {@code ctx.Pool(processes)}: at most {@code processes} tasks run at once. */
    ProcessPool pool(int processes);

    /** A {@code java.util.concurrent} view of a pool of {@code processes}; shutting it down ends its pool. */
    ExecutorService executor(int processes);

    /** Python's {@code ctx.Value(typecode, init)}: an integer type code ('i', 'q', ...) or 'd'/'f'. */
    SharedValue value(char typeCode, long initial);

    SharedValue value(char typeCode, double initial);

    /** Python's {@code ctx.Lock()}: not reentrant; any process may release it. */
    SharedLock lock();

    /** Python's {@code ctx.RLock()}: reentrant; only its owner releases it. */
    SharedRLock rlock();

    SharedSemaphore semaphore(int value);

    /** A semaphore whose value may not exceed {@code value}: one release too many throws. */
    SharedSemaphore boundedSemaphore(int value);

    SharedEvent event();

    /** A condition on its own RLock, as Python's {@code ctx.Condition()}. */
    SharedCondition condition();

    /** A condition on {@code lock}, a lock of this context. */
    SharedCondition condition(SharedLock lock);

    SharedBarrier barrier(int parties);

    /** An unbounded FIFO queue. */
    default SharedQueue queue()
    {
        return queue(0);
    }

    /** A FIFO queue of at most {@code maxsize} values (0: unbounded). */
    SharedQueue queue(int maxsize);

    default SharedJoinableQueue joinableQueue()
    {
        return joinableQueue(0);
    }

    SharedJoinableQueue joinableQueue(int maxsize);

    /** Python's {@code ctx.Pipe(duplex)}: local only. */
    Pipe pipe(boolean duplex);

    /** Python's {@code SharedMemory(name, create, size)}: local only. */
    SharedMemory sharedMemory(String name, boolean create, long size);
}
