package mp4j.pool;

import mp4j.codec.SerialFilter;
import mp4j.codec.ValueCodec;
import mp4j.process.Process;
import mp4j.process.WorkerCommand;
import mp4j.session.Session;
import mp4j.util.Logging;
import mp4j.session.SessionFileException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The pool owner's one thread, doing what CPython's task, result and worker handler threads do together: feed
 * tasks to the workers' rings, take results off theirs, and watch the worker processes. A worker that dies is
 * noticed within {@link #HEALTH_CHECK_NANOS}; the tasks it held run again on the others and on its replacement,
 * at most {@code maxRetries} more times each, so a call never waits for a result that cannot come.
 */
final class PoolHandler implements Runnable
{
    static final long HEALTH_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Tasks given to a worker ahead of its results. One, as Python's shared task queue behaves, while tasks are
     * slow or few: a task queued behind a long one would wait although another worker is free...
     */
    private static final int PREFETCH_SLOW = 1;
    /** ...and more while many quick tasks are waiting: a round trip per task would leave workers idle. */
    private static final int PREFETCH_FAST = 16;
    private static final long FAST_TASK_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final long TERMINATE_GRACE_MILLIS = 1_000;
    /**
     * After its last piece of work the handler keeps polling (spin, yield, short parks) this long before it sleeps
     * until woken: a caller making call after call then finds it awake, saving a thread wake-up per call.
     */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    static final int RUNNING = 0;
    static final int CLOSING = 1;
    static final int TERMINATING = 2;

    private final Pool pool;
    private final PoolConfig config;
    private final Session session;
    private final AtomicBuffer buffer;
    private final int poolIndex;
    private final int base;
    private final int ringCapacity;
    private final WorkerHandle[] workers;
    private final ValueCodec codec;
    private final ValueCodec exceptionCodec;
    private IdleStrategy idle;
    final ConcurrentLinkedDeque<PoolTask> pending = new ConcurrentLinkedDeque<>();
    /** The size of {@link #pending}, which a ConcurrentLinkedDeque can only count by walking it. */
    final AtomicInteger pendingCount = new AtomicInteger();
    final List<WorkerStats> history = new CopyOnWriteArrayList<>();
    final CountDownLatch stopped = new CountDownLatch(1);
    volatile int state = RUNNING;
    volatile RuntimeException broken;
    private volatile Thread thread;
    private int deathsWithoutProgress;
    private long nextHealthCheck;
    private long lastWorkNanos;
    private long fastTaskNanos = Long.MAX_VALUE;
    private int started;
    private long probes;

    PoolHandler(final Pool pool, final PoolConfig config, final Session session, final int poolIndex,
        final int base, final int ringCapacity)
    {
        this.pool = pool;
        this.config = config;
        this.session = session;
        this.buffer = session.buffer();
        this.poolIndex = poolIndex;
        this.base = base;
        this.ringCapacity = ringCapacity;
        final java.io.ObjectInputFilter filter = SerialFilter.of(config.allow);
        this.codec = new ValueCodec(filter);
        this.exceptionCodec = new ValueCodec(TaskException.filter(filter));
        this.workers = new WorkerHandle[config.processes];
        for (int w = 0; w < workers.length; w++)
        {
            final WorkerHandle handle =
                new WorkerHandle(buffer, w, PoolLayout.position(base, ringCapacity, w), ringCapacity);
            handle.inbox = new RingInbox((type, b, offset, length) -> onResult(handle, type, b, offset, length));
            workers[w] = handle;
        }
    }

    void start(final String name)
    {
        for (final WorkerHandle worker : workers)
        {
            startWorker(worker); // in the caller: a pool that cannot start fails in its constructor
        }
        final Thread handler = new Thread(this, name + "-handler");
        handler.setDaemon(true);
        thread = handler;
        handler.start();
    }

    /** Wakes the handler at once (new tasks, close, terminate) instead of at its next poll. */
    void wake()
    {
        final Thread handler = thread;
        if (handler != null)
        {
            LockSupport.unpark(handler);
        }
    }

    boolean isHandlerThread()
    {
        return Thread.currentThread() == thread;
    }

    /**
     * Whatever ends the loop (a close, a bug, a session file truncated or overwritten under it), every call still
     * waiting hears of it and the workers are stopped: no step of the way out may keep the next from running.
     */
    @Override
    public void run()
    {
        try
        {
            loop();
        }
        catch (final RuntimeException | Error ex)
        {
            broken = failure(ex);
            failQuietly(this::failLeftovers); // callers first: stopping the workers may take a second
        }
        finally
        {
            try
            {
                failQuietly(this::stopWorkers);
                failQuietly(this::failLeftovers);
                if (!session.isDamaged())
                {
                    failQuietly(() -> buffer.putIntOrdered(base + PoolLayout.STATE_OFFSET, PoolLayout.STOPPED));
                }
            }
            finally
            {
                stopped.countDown();
            }
        }
    }

    /** What callers are told when the loop failed: the damage to the session file when there is some. */
    private RuntimeException failure(final Throwable ex)
    {
        if (Session.isFault(ex) || session.isDamaged())
        {
            return session.faultError(ex);
        }
        if (ex instanceof SessionFileException damaged)
        {
            return damaged; // rings overwritten: the message says which and how
        }
        ex.printStackTrace(); // a bug of ours: the trace is for its report
        return new IllegalStateException("the pool's handler failed: " + ex, ex);
    }

    private void failQuietly(final Runnable step)
    {
        try
        {
            step.run();
        }
        catch (final RuntimeException | Error ex)
        {
            if (broken == null)
            {
                broken = failure(ex);
            }
        }
    }

    private void loop()
    {
        idle = RoundTripIdle.create(100_000); // on this thread: it lowers the thread's timer slack
        while (true)
        {
            int work = 0;
            for (final WorkerHandle worker : workers)
            {
                work += readResults(worker, 256);
            }
            if (state == TERMINATING)
            {
                return;
            }
            work += dispatch();
            for (final WorkerHandle worker : workers)
            {
                if (!worker.outbox.isEmpty() && worker.process != null)
                {
                    pump(worker);
                }
            }
            final long now = System.nanoTime();
            if (now - nextHealthCheck >= 0)
            {
                nextHealthCheck = now + HEALTH_CHECK_NANOS;
                if (session.isDamaged())
                {
                    throw new SessionFileException(session.damage());
                }
                checkWorkers();
                if (state == CLOSING && pending.isEmpty() && noneAssigned() && stopWorkersWhenIdle())
                {
                    return;
                }
            }
            if (work > 0)
            {
                idle.reset();
                lastWorkNanos = now;
            }
            else if (now - lastWorkNanos > QUIET_NANOS && pending.isEmpty() && noneAssigned())
            {
                LockSupport.parkNanos(HEALTH_CHECK_NANOS); // nothing in flight: wait for a call, a close, a death
            }
            else
            {
                idle.idle();
            }
        }
    }

    private int dispatch()
    {
        int given = 0;
        while (!pending.isEmpty())
        {
            final WorkerHandle worker = leastLoaded();
            if (worker == null)
            {
                break;
            }
            final PoolTask task = pending.pollFirst();
            if (task == null)
            {
                break;
            }
            pendingCount.decrementAndGet();
            if (task.job.isDone())
            {
                continue; // its call has failed already: the rest of its work is not wanted
            }
            give(worker, task);
            given++;
        }
        return given;
    }

    private WorkerHandle leastLoaded()
    {
        final int prefetch = fastTaskNanos < FAST_TASK_NANOS && pendingCount.get() > 4 * workers.length ?
            PREFETCH_FAST : PREFETCH_SLOW;
        WorkerHandle best = null;
        for (final WorkerHandle worker : workers)
        {
            // A worker still starting gets nothing yet: the first task goes to the first JVM that is up, and a
            // slow starter does not sit on tasks that a ready worker could run.
            if (worker.process != null && !worker.retiring && !worker.stopSent &&
                worker.assigned.size() < prefetch && isReady(worker) &&
                (best == null || worker.assigned.size() < best.assigned.size()))
            {
                best = worker;
            }
        }
        return best;
    }

    private boolean isReady(final WorkerHandle worker)
    {
        if (!worker.ready)
        {
            worker.ready = buffer.getIntVolatile(worker.at + PoolLayout.READY_OFFSET) == 1;
        }
        return worker.ready;
    }

    private void give(final WorkerHandle worker, final PoolTask task)
    {
        final FunctionDef function = task.function;
        if (worker.knownFunctions.get(function.id()) == null)
        {
            int forget = -1;
            if (worker.knownFunctions.size() >= WorkerHandle.KNOWN_FUNCTIONS)
            {
                forget = worker.knownFunctions.keySet().iterator().next();
                worker.knownFunctions.remove(forget);
            }
            worker.knownFunctions.put(function.id(), Boolean.TRUE);
            final byte[] define = new byte[PoolMessages.DEFINE_FUNCTION + function.encoded().length];
            final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(define);
            view.putInt(PoolMessages.DEFINE_FN_ID, function.id(), ByteOrder.LITTLE_ENDIAN);
            view.putInt(PoolMessages.DEFINE_FORGET_ID, forget, ByteOrder.LITTLE_ENDIAN);
            view.putBytes(PoolMessages.DEFINE_FUNCTION, function.encoded());
            worker.outbox.add(PoolMessages.DEFINE, define);
        }
        worker.outbox.add(PoolMessages.TASK, task.message);
        task.givenNanos = System.nanoTime();
        worker.assigned.put(task.id, task);
        worker.sent++;
        task.seq = worker.sent;
        buffer.putLongOrdered(worker.at + PoolLayout.TASKS_SENT_OFFSET, worker.sent);
        if (config.maxTasksPerChild > 0 && worker.sent >= config.maxTasksPerChild)
        {
            worker.retiring = true; // it exits after this task; a fresh worker takes its place
        }
    }

    private void onResult(final WorkerHandle worker, final int type, final DirectBuffer message, final int offset,
        final int length)
    {
        if (type != PoolMessages.RESULT)
        {
            throw ringsDamaged(worker, "a message of unknown type " + type + " on its result ring");
        }
        final long taskId = message.getLong(offset + PoolMessages.RESULT_TASK_ID, ByteOrder.LITTLE_ENDIAN);
        final byte status = message.getByte(offset + PoolMessages.RESULT_STATUS);
        final PoolTask task = worker.assigned.remove(taskId);
        if (task == null)
        {
            return;
        }
        final long took = System.nanoTime() - task.givenNanos;
        fastTaskNanos = fastTaskNanos == Long.MAX_VALUE ? took : (fastTaskNanos * 7 + took) / 8;
        worker.tasksDoneByThisProcess++;
        deathsWithoutProgress = 0;
        final WorkerStats stats = worker.stats;
        final Object value;
        try
        {
            value = codec.decode(message, offset + PoolMessages.RESULT_VALUE, length - PoolMessages.RESULT_VALUE);
        }
        catch (final RuntimeException ex)
        {
            stats.failed++;
            task.job.taskFailed(task, new IllegalStateException(
                "the result of a pool task cannot be read: " + ex.getMessage(), ex));
            return;
        }
        if (status == PoolMessages.OK)
        {
            stats.tasks++;
            stats.items += task.count;
            task.job.taskDone(task, value);
        }
        else
        {
            stats.failed++;
            task.job.taskFailed(task, TaskException.rebuild(value, exceptionCodec));
        }
    }

    private void checkWorkers()
    {
        for (final WorkerHandle worker : workers)
        {
            if (worker.process == null)
            {
                continue;
            }
            if (!worker.process.isAlive())
            {
                workerExited(worker);
                if (state == TERMINATING)
                {
                    return;
                }
                continue;
            }
            final String problem = worker.checkRings();
            if (problem != null)
            {
                throw ringsDamaged(worker, problem);
            }
            probe(worker);
        }
    }

    /** Reads a worker's result ring, after checking that what this thread writes there is as it left it. */
    private int readResults(final WorkerHandle worker, final int limit)
    {
        if (!worker.resultRingAsLeft())
        {
            throw ringsDamaged(worker, worker.checkRings());
        }
        final int read;
        try
        {
            read = worker.results.read(worker.inbox, limit);
        }
        catch (final IllegalStateException ex)
        {
            throw ringsDamaged(worker, ex.getMessage()); // RingInbox: fragments out of step
        }
        worker.readResults();
        return read;
    }

    /**
     * Reads a worker's result ring to its end: until a read takes nothing and passes over nothing (a read that only
     * skips the padding at the ring's end returns 0 with results waiting at its start).
     */
    private void drainResults(final WorkerHandle worker)
    {
        while (true)
        {
            final long head = worker.results.consumerPosition();
            if (readResults(worker, Integer.MAX_VALUE) == 0 && worker.results.consumerPosition() == head)
            {
                return;
            }
        }
    }

    /** Writes what waits for a worker's task ring, after checking that the ring's tail is as this thread left it. */
    private boolean pump(final WorkerHandle worker)
    {
        if (!worker.taskRingAsLeft())
        {
            throw ringsDamaged(worker, worker.checkRings());
        }
        final boolean all = worker.outbox.pump();
        worker.wroteTasks();
        return all;
    }

    /**
     * Finds tasks a live worker will never answer: their message, or their result, was overwritten in the rings
     * while the positions stayed plausible. Once every task given to a worker is written, the owner sends a probe;
     * a worker that reads the probe and then finds its task ring empty has run everything written before it, and
     * its results are in the result ring before its answer. A task still unanswered after that is lost. No clock is
     * involved: a worker busy with a long task, or stopped, simply does not answer yet.
     */
    private void probe(final WorkerHandle worker)
    {
        if (worker.assigned.isEmpty() || !isReady(worker))
        {
            worker.probe = 0;
            return;
        }
        if (worker.probe == 0)
        {
            if (worker.outbox.isEmpty())
            {
                worker.probe = ++probes;
                worker.probeCovers = worker.sent;
                buffer.putLongVolatile(worker.at + PoolLayout.PROBE_OFFSET, worker.probe);
            }
            return;
        }
        if (buffer.getLongVolatile(worker.at + PoolLayout.PROBE_ANSWERED_OFFSET) != worker.probe)
        {
            return;
        }
        final long covers = worker.probeCovers;
        worker.probe = 0;
        drainResults(worker); // every result written before the answer
        int lost = 0;
        for (final PoolTask task : worker.assigned.values())
        {
            if (task.seq <= covers)
            {
                lost++;
            }
        }
        if (lost > 0)
        {
            throw ringsDamaged(worker, lost + " task" + (lost == 1 ? " was" : "s were") + " lost: the worker read " +
                "its task ring to the end and never answered " + (lost == 1 ? "it" : "them"));
        }
    }

    private SessionFileException ringsDamaged(final WorkerHandle worker, final String problem)
    {
        final String damage = session.damage();
        if (damage != null)
        {
            return new SessionFileException(damage);
        }
        return new SessionFileException("pool " + pool.name() + " broke: the rings of its worker " +
            worker.position + (worker.process != null ? " (pid " + worker.process.pid() + ")" : "") + " in session " +
            "file " + session.file() + " were overwritten while in use (" + problem + "); something outside mp4j " +
            "wrote into the file");
    }

    private void workerExited(final WorkerHandle worker)
    {
        if (session.isDamaged())
        {
            // it died of the damage (a SIGBUS), and so would every replacement: the pool cannot go on
            throw new SessionFileException(session.damage());
        }
        drainResults(worker); // results it wrote before it died are real: take them before deciding what to run again
        final Process process = worker.process;
        final Integer exitCode = process.exitCode();
        final boolean planned = exitCode != null && exitCode == 0 && worker.assigned.isEmpty() &&
            (worker.retiring || worker.stopSent);
        final boolean wasReady = buffer.getIntVolatile(worker.at + PoolLayout.READY_OFFSET) == 1;
        String what = null;
        if (!planned)
        {
            final java.nio.file.Path crash = WorkerCommand.crashReport(process.pid());
            what = "pool worker " + process.name() + " (pid " + process.pid() + ") exited with code " + exitCode +
                (wasReady ? "" : " before it was ready (while starting, or in its initializer)") +
                (crash != null ? " (its JVM crashed: see " + crash + ")" : "");
            final String died = what;
            Logging.info(() -> died + " holding " + worker.assigned.size() + " task(s); they run again on a " +
                "replacement unless they have had " + config.maxRetries + " retries");
            if (worker.tasksDoneByThisProcess == 0)
            {
                deathsWithoutProgress++;
            }
            final List<PoolTask> held = new ArrayList<>(worker.assigned.values());
            held.sort(Comparator.comparingLong((PoolTask task) -> task.id).reversed());
            for (final PoolTask task : held)
            {
                if (wasReady)
                {
                    task.attempts++; // a worker that never took its tasks did not fail them
                }
                if (task.attempts > config.maxRetries)
                {
                    task.job.taskFailed(task, new WorkerDiedException(what + " while running this task, " +
                        "which had run " + task.attempts + " time" + (task.attempts == 1 ? "" : "s") +
                        " (maxRetries " + config.maxRetries + ")"));
                }
                else
                {
                    pending.addFirst(task); // first in line again, in its original order
                    pendingCount.incrementAndGet();
                }
            }
        }
        final boolean stopAfter = worker.stopSent && planned;
        PoolLayout.resetRings(buffer, worker.at, ringCapacity);
        buffer.putIntOrdered(worker.at + PoolLayout.PROCESS_SLOT_OFFSET, -1);
        worker.reset();
        if (deathsWithoutProgress > Math.max(3, 2 * workers.length))
        {
            breakPool(new WorkerDiedException("the pool's workers keep dying before they finish a task (last: " +
                what + ")" + (config.initializer != null ? "; the initializer may be failing" : "") +
                ": see the workers' stderr"));
            return;
        }
        if (state == RUNNING || (state == CLOSING && !stopAfter && (!pending.isEmpty() || !noneAssigned())))
        {
            startWorker(worker);
        }
    }

    private void startWorker(final WorkerHandle worker)
    {
        final Process process = new Process(PoolWorker.class, poolIndex, worker.position, config.maxTasksPerChild,
            config.allow, config.initializer, config.initArgs)
            .name(pool.name() + "-worker-" + (++started))
            .daemon(true)
            .jvmOptions(config.jvmOptions);
        process.start();
        worker.process = process;
        worker.stats = new WorkerStats(worker.position, process);
        history.add(worker.stats);
        buffer.putInt(worker.at + PoolLayout.STARTS_OFFSET, buffer.getInt(worker.at + PoolLayout.STARTS_OFFSET) + 1);
        buffer.putIntOrdered(worker.at + PoolLayout.PROCESS_SLOT_OFFSET, process.slot());
    }

    private void breakPool(final RuntimeException error)
    {
        Logging.info(() -> pool.name() + " is broken, every waiting task fails: " + error.getMessage());
        broken = error;
        state = TERMINATING;
        failAll(error);
    }

    /** Every task given out or waiting fails with {@code error}: nobody will run it any more. */
    private void failAll(final RuntimeException error)
    {
        for (final WorkerHandle worker : workers)
        {
            for (final PoolTask task : worker.assigned.values())
            {
                task.job.taskFailed(task, error);
            }
            worker.assigned.clear();
        }
        PoolTask task;
        while ((task = pending.pollFirst()) != null)
        {
            pendingCount.decrementAndGet();
            task.job.taskFailed(task, error);
        }
    }

    private boolean noneAssigned()
    {
        for (final WorkerHandle worker : workers)
        {
            if (!worker.assigned.isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    /** Closing with nothing left to do: tell each worker to stop; true once all of them have exited. */
    private boolean stopWorkersWhenIdle()
    {
        boolean allExited = true;
        for (final WorkerHandle worker : workers)
        {
            if (worker.process == null)
            {
                continue;
            }
            if (!worker.stopSent)
            {
                worker.outbox.add(PoolMessages.STOP, new byte[0]);
                pump(worker);
                worker.stopSent = true;
            }
            allExited = false;
        }
        return allExited;
    }

    /** Terminating (or the handler failed): SIGTERM every worker, as Python's terminate(), SIGKILL stragglers. */
    private void stopWorkers()
    {
        final List<Process> alive = new ArrayList<>();
        for (final WorkerHandle worker : workers)
        {
            if (worker.process != null && worker.process.isAlive())
            {
                worker.process.terminate();
                alive.add(worker.process);
            }
        }
        final long deadline = System.currentTimeMillis() + TERMINATE_GRACE_MILLIS;
        for (final Process process : alive)
        {
            try
            {
                if (!process.join(Math.max(1, deadline - System.currentTimeMillis())))
                {
                    process.kill();
                    process.join(TERMINATE_GRACE_MILLIS);
                }
            }
            catch (final InterruptedException ex)
            {
                process.kill();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void failLeftovers()
    {
        failAll(broken != null ? broken : new PoolClosedException("the pool was terminated before this task finished"));
    }
}
