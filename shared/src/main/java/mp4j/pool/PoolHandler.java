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
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The pool owner's one thread, doing what CPython's task, result and worker handler threads do together: feed
 * tasks to the workers' rings, take results off theirs, and watch the worker processes. A worker that dies is
 * noticed within {@link #HEALTH_CHECK_NANOS}; the tasks it held run again on the others and on its replacement,
 * at most {@code maxRetries} more times each, so a call never waits for a result that cannot come.
 * <p>
 * What {@link Pool} asks of it: {@link #start}, {@link #submit} tasks (and {@link #withdraw} those not given out
 * yet), {@link #close}, {@link #terminate}, {@link #awaitStopped}, its {@link #failure()} and {@link #history()}.
 * Everything else (the workers, the pool's bytes in the session file) is this thread's alone. Its state goes
 * RUNNING -> CLOSING -> TERMINATING or RUNNING -> TERMINATING, never back, each step one atomic change that any
 * thread may ask for and only this thread acts on.
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

    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATING = 2;

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
    private final ConcurrentLinkedDeque<PoolTask> pending = new ConcurrentLinkedDeque<>();
    /** The size of {@link #pending}, which a ConcurrentLinkedDeque can only count by walking it. */
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final List<WorkerStats> history = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile RuntimeException broken;
    private volatile Thread thread;
    /** Whether this thread has marked the pool's entry CLOSING for inspectors. */
    private boolean closingShown;
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
            workers[w] = new WorkerHandle(buffer, w, PoolLayout.position(base, ringCapacity, w), ringCapacity,
                this::onResult);
        }
    }

    // ------------------------------------------------------------------------------------- what the pool asks

    /**
     * Starts the workers, in the caller (a pool that cannot start fails in its constructor, having stopped those
     * it started), then this thread.
     */
    void start(final String name)
    {
        try
        {
            for (final WorkerHandle worker : workers)
            {
                startWorker(worker);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            state.set(TERMINATING);
            failQuietly(this::stopWorkers);
            stopped.countDown();
            throw ex;
        }
        final Thread handler = new Thread(this, name + "-handler");
        handler.setDaemon(true);
        thread = handler;
        handler.start();
    }

    /**
     * Queues tasks for the workers, in order. Tasks that come after this thread stopped fail at once with why it
     * stopped: nobody else would ever answer them.
     */
    void submit(final Collection<PoolTask> tasks)
    {
        pendingCount.addAndGet(tasks.size());
        pending.addAll(tasks);
        wake();
        if (stopped.getCount() == 0)
        {
            final RuntimeException error = broken != null ? broken :
                new PoolClosedException("pool " + pool.name() + " was terminated");
            for (final PoolTask task : tasks)
            {
                if (pending.remove(task))
                {
                    pendingCount.decrementAndGet();
                    task.job.taskFailed(task, error);
                }
            }
        }
    }

    /** Takes the queued tasks that {@code which} accepts and no worker has been given, oldest first. */
    List<PoolTask> withdraw(final Predicate<PoolTask> which)
    {
        final List<PoolTask> taken = new ArrayList<>();
        for (final PoolTask task : pending)
        {
            if (which.test(task) && pending.remove(task))
            {
                pendingCount.decrementAndGet();
                taken.add(task);
            }
        }
        return taken;
    }

    /** Python's close(): the tasks queued still run, then the workers exit. Does nothing unless running. */
    void close()
    {
        state.compareAndSet(RUNNING, CLOSING);
        wake();
    }

    /** Python's terminate(): the workers are stopped now, the tasks not done fail. Does not wait. */
    void terminate()
    {
        state.set(TERMINATING);
        wake();
    }

    /**
     * Waits for this thread to have stopped the workers and ended, at most {@code timeoutNanos} (0 or less: for
     * as long as it takes).
     *
     * @return whether it has ended.
     */
    boolean awaitStopped(final long timeoutNanos) throws InterruptedException
    {
        if (isHandlerThread())
        {
            throw new IllegalStateException("a pool callback cannot wait for its own pool to stop");
        }
        if (timeoutNanos <= 0)
        {
            stopped.await();
            return true;
        }
        return stopped.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    boolean isStopped()
    {
        return stopped.getCount() == 0;
    }

    /** Why the pool broke (its workers keep dying, its session file was damaged), or null. */
    RuntimeException failure()
    {
        return broken;
    }

    /** Every worker process started, replacements included, with what each did. */
    List<WorkerStats> history()
    {
        return history;
    }

    /** Wakes the handler at once (new tasks, close, terminate) instead of at its next poll. */
    private void wake()
    {
        final Thread handler = thread;
        if (handler != null)
        {
            LockSupport.unpark(handler);
        }
    }

    private boolean isHandlerThread()
    {
        return Thread.currentThread() == thread;
    }

    // ----------------------------------------------------------------------------------------------- the thread

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
        idle = RoundTripIdle.create(RoundTripIdle.MAX_PARK_NANOS); // on this thread: it lowers the thread's timer slack
        while (true)
        {
            int work = 0;
            for (final WorkerHandle worker : workers)
            {
                work += readResults(worker, 256);
            }
            final int asked = state.get();
            if (asked == TERMINATING)
            {
                return;
            }
            if (asked == CLOSING && !closingShown)
            {
                closingShown = true;
                buffer.putIntOrdered(base + PoolLayout.STATE_OFFSET, PoolLayout.CLOSING); // for inspectors
            }
            work += dispatch();
            for (final WorkerHandle worker : workers)
            {
                if (worker.hasUnsent() && worker.process() != null)
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
                if (state.get() == CLOSING && pending.isEmpty() && noneAssigned() && stopWorkersWhenIdle())
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
            worker.assign(task, config.maxTasksPerChild);
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
            if (worker.canTake(prefetch) && (best == null || worker.load() < best.load()))
            {
                best = worker;
            }
        }
        return best;
    }

    private void onResult(final WorkerHandle worker, final DirectBuffer message, final int offset, final int length)
    {
        final byte kind = message.getByte(offset + PoolMessages.KIND);
        if (kind != PoolMessages.RESULT || length < PoolMessages.RESULT_VALUE)
        {
            throw ringsDamaged(worker, "a message of unknown kind " + kind + " on its result ring");
        }
        final long taskId = message.getLong(offset + PoolMessages.RESULT_TASK_ID, ByteOrder.LITTLE_ENDIAN);
        final byte status = message.getByte(offset + PoolMessages.RESULT_STATUS);
        final PoolTask task = worker.finished(taskId);
        if (task == null)
        {
            return;
        }
        final long took = System.nanoTime() - task.givenNanos;
        fastTaskNanos = fastTaskNanos == Long.MAX_VALUE ? took : (fastTaskNanos * 7 + took) / 8;
        deathsWithoutProgress = 0;
        final Object value;
        try
        {
            value = codec.decode(message, offset + PoolMessages.RESULT_VALUE, length - PoolMessages.RESULT_VALUE);
        }
        catch (final RuntimeException ex)
        {
            worker.failed();
            task.job.taskFailed(task, new IllegalStateException(
                "the result of a pool task cannot be read: " + ex.getMessage(), ex));
            return;
        }
        if (status == PoolMessages.OK)
        {
            worker.succeeded(task);
            task.job.taskDone(task, value);
        }
        else
        {
            worker.failed();
            task.job.taskFailed(task, TaskException.rebuild(value, exceptionCodec));
        }
    }

    private void checkWorkers()
    {
        for (final WorkerHandle worker : workers)
        {
            if (worker.process() == null)
            {
                continue;
            }
            if (!worker.process().isAlive())
            {
                workerExited(worker);
                if (state.get() == TERMINATING)
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
        try
        {
            return worker.readResults(limit);
        }
        catch (final IllegalStateException ex)
        {
            throw ringsDamaged(worker, ex.getMessage()); // RingInbox: records out of step
        }
    }

    /**
     * Reads a worker's result ring to its end: until a read takes nothing and passes over nothing (a read that only
     * skips the padding at the ring's end returns 0 with results waiting at its start).
     */
    private void drainResults(final WorkerHandle worker)
    {
        while (true)
        {
            final long head = worker.resultPosition();
            if (readResults(worker, Integer.MAX_VALUE) == 0 && worker.resultPosition() == head)
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
        return worker.pump();
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
        if (!worker.hasTasks() || !worker.isReady())
        {
            worker.forgetProbe();
            return;
        }
        if (!worker.isProbing())
        {
            if (worker.sendProbe(probes + 1))
            {
                probes++;
            }
            return;
        }
        if (!worker.probeAnswered())
        {
            return;
        }
        drainResults(worker); // every result written before the answer
        final int lost = worker.lostToProbe();
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
            worker.position() + (worker.process() != null ? " (pid " + worker.process().pid() + ")" : "") +
            " in session " +
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
        final Process process = worker.process();
        final Integer exitCode = process.exitCode();
        final boolean planned = worker.exitedAsPlanned(exitCode);
        final boolean wasReady = worker.wasReady();
        String what = null;
        if (!planned)
        {
            final java.nio.file.Path crash = WorkerCommand.crashReport(process.pid());
            what = "pool worker " + process.name() + " (pid " + process.pid() + ") exited with code " + exitCode +
                (wasReady ? "" : " before it was ready (while starting, or in its initializer)") +
                (crash != null ? " (its JVM crashed: see " + crash + ")" : "");
            final String died = what;
            final int held = worker.load();
            Logging.info(() -> died + " holding " + held + " task(s); they run again on a replacement unless " +
                "they have had " + config.maxRetries + " retries");
            if (!worker.madeProgress())
            {
                deathsWithoutProgress++;
            }
            for (final PoolTask task : worker.takeTasks()) // newest first: each goes first in line
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
        final boolean stopAfter = worker.wasStopped() && planned;
        worker.vacate();
        if (deathsWithoutProgress > Math.max(3, 2 * workers.length))
        {
            breakPool(new WorkerDiedException("the pool's workers keep dying before they finish a task (last: " +
                what + ")" + (config.initializer != null ? "; the initializer may be failing" : "") +
                ": see the workers' stderr"));
            return;
        }
        final int now = state.get();
        if (now == RUNNING || (now == CLOSING && !stopAfter && (!pending.isEmpty() || !noneAssigned())))
        {
            startWorker(worker);
        }
    }

    private void startWorker(final WorkerHandle worker)
    {
        final Process process = new Process(PoolWorker.class, poolIndex, worker.position(), config.maxTasksPerChild,
            config.allow, config.initializer, config.initArgs)
            .name(pool.name() + "-worker-" + (++started))
            .daemon(true)
            .jvmOptions(config.jvmOptions);
        process.start();
        history.add(worker.started(process));
    }

    private void breakPool(final RuntimeException error)
    {
        Logging.info(() -> pool.name() + " is broken, every waiting task fails: " + error.getMessage());
        broken = error;
        state.set(TERMINATING);
        failAll(error);
    }

    /** Every task given out or waiting fails with {@code error}: nobody will run it any more. */
    private void failAll(final RuntimeException error)
    {
        for (final WorkerHandle worker : workers)
        {
            for (final PoolTask task : worker.takeTasks())
            {
                task.job.taskFailed(task, error);
            }
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
            if (worker.hasTasks())
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
            if (worker.process() == null)
            {
                continue;
            }
            if (worker.stop())
            {
                pump(worker);
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
            final Process process = worker.process();
            if (process != null && process.isAlive())
            {
                process.terminate();
                alive.add(process);
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
