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
    /**
     * The context of this machine: worker JVMs and objects in the current session's {@code /dev/shm} file.
     *
     * @return the one local context.
     */
    static Context local()
    {
        return LocalContext.INSTANCE;
    }

    /**
     * The context's name, as Python's {@code get_start_method()} names its contexts.
     *
     * @return {@code "local"} or {@code "cluster"}.
     */
    String name();

    /**
     * Python's {@code ctx.Pool(processes)}: at most {@code processes} tasks run at once.
     *
     * @param processes how many workers, at least 1.
     * @return a new pool; close it (try-with-resources) to end its workers.
     * @throws IllegalArgumentException when {@code processes} is below 1.
     */
    ProcessPool pool(int processes);

    /**
     * A {@code java.util.concurrent} view of a pool of {@code processes}; shutting it down ends its pool.
     *
     * @param processes how many workers, at least 1.
     * @return a new executor whose tasks run in worker processes.
     * @throws IllegalArgumentException when {@code processes} is below 1.
     */
    ExecutorService executor(int processes);

    /**
     * Python's {@code ctx.Value(typecode, init)} for a whole number.
     *
     * @param typeCode a ctypes type code ('b', 'h', 'i', 'l', 'q' and their unsigned upper cases), or 'd'/'f'.
     * @param initial  the first value, converted to the type (wrapping as C does, as Python's ctypes do).
     * @return a new shared value with its own lock.
     * @throws IllegalArgumentException when the type code is unknown.
     */
    SharedValue value(char typeCode, long initial);

    /**
     * Python's {@code ctx.Value(typecode, init)} for a floating-point number.
     *
     * @param typeCode 'd' (double) or 'f' (float).
     * @param initial  the first value.
     * @return a new shared value with its own lock.
     * @throws IllegalArgumentException when the type code is unknown.
     */
    SharedValue value(char typeCode, double initial);

    /**
     * Python's {@code ctx.Lock()}: not reentrant; any process may release it.
     *
     * @return a new, unlocked lock.
     */
    SharedLock lock();

    /**
     * Python's {@code ctx.RLock()}: reentrant; only its owner releases it.
     *
     * @return a new, unlocked reentrant lock.
     */
    SharedRLock rlock();

    /**
     * Python's {@code ctx.Semaphore(value)}.
     *
     * @param value the initial count, at least 0.
     * @return a new semaphore.
     * @throws IllegalArgumentException when {@code value} is negative.
     */
    SharedSemaphore semaphore(int value);

    /**
     * Python's {@code ctx.BoundedSemaphore(value)}: a semaphore whose value may not exceed {@code value}; one
     * release too many throws.
     *
     * @param value the initial count and its bound, at least 0.
     * @return a new bounded semaphore.
     * @throws IllegalArgumentException when {@code value} is negative.
     */
    SharedSemaphore boundedSemaphore(int value);

    /**
     * Python's {@code ctx.Event()}.
     *
     * @return a new event, not set.
     */
    SharedEvent event();

    /**
     * A condition on its own RLock, as Python's {@code ctx.Condition()}.
     *
     * @return a new condition.
     */
    SharedCondition condition();

    /**
     * A condition on {@code lock}, as Python's {@code ctx.Condition(lock)}.
     *
     * @param lock a Lock or RLock made by this same context.
     * @return a new condition that acquires and releases {@code lock}.
     * @throws IllegalArgumentException when {@code lock} is null or of another context.
     */
    SharedCondition condition(SharedLock lock);

    /**
     * Python's {@code ctx.Barrier(parties)}, without an action or a default timeout.
     *
     * @param parties how many processes must wait before all are released, at least 1.
     * @return a new barrier.
     * @throws IllegalArgumentException when {@code parties} is below 1.
     */
    SharedBarrier barrier(int parties);

    /**
     * Python's {@code ctx.Queue()}: an unbounded FIFO queue.
     *
     * @return a new, empty queue.
     */
    default SharedQueue queue()
    {
        return queue(0);
    }

    /**
     * Python's {@code ctx.Queue(maxsize)}: a FIFO queue of at most {@code maxsize} values.
     *
     * @param maxsize the most values it holds; 0 is unbounded.
     * @return a new, empty queue.
     * @throws IllegalArgumentException when {@code maxsize} is negative (Python takes it as unbounded; mp4j says
     *                                  so rather than guess).
     */
    SharedQueue queue(int maxsize);

    /**
     * Python's {@code ctx.JoinableQueue()}: an unbounded queue whose consumers mark tasks done.
     *
     * @return a new, empty joinable queue.
     */
    default SharedJoinableQueue joinableQueue()
    {
        return joinableQueue(0);
    }

    /**
     * Python's {@code ctx.JoinableQueue(maxsize)}.
     *
     * @param maxsize the most values it holds; 0 is unbounded.
     * @return a new, empty joinable queue.
     * @throws IllegalArgumentException when {@code maxsize} is negative.
     */
    SharedJoinableQueue joinableQueue(int maxsize);

    /**
     * Python's {@code ctx.Pipe(duplex)}: local only.
     *
     * @param duplex true for two connections that both send and receive; false for a receiving end and a sending
     *               end, as Python's {@code Pipe(False)}.
     * @return the two connected ends.
     * @throws UnsupportedOperationException in a cluster context.
     */
    Pipe pipe(boolean duplex);

    /**
     * Python's {@code SharedMemory(name, create, size)}: local only.
     *
     * @param name   the block's name ({@code /dev/shm/NAME}); null with {@code create} picks a fresh {@code psm_} one.
     * @param create true to create a new block (failing when it exists), false to attach to an existing one.
     * @param size   the new block's size in bytes, positive; when attaching it is not used (but must not be negative).
     * @return the mapped block; close it, and unlink it when done with it for good.
     * @throws mp4j.sharedmemory.SharedMemoryException when the block exists (create) or does not (attach).
     * @throws IllegalArgumentException                when {@code size} is not positive, or no name is given to attach.
     * @throws UnsupportedOperationException           in a cluster context.
     */
    SharedMemory sharedMemory(String name, boolean create, long size);
}
