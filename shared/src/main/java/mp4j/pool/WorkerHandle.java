package mp4j.pool;

import mp4j.process.Doorbell;
import mp4j.process.Process;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The pool owner's view of one worker position: its rings, the process now at it, the tasks given to that
 * process. Used by the pool's handler thread alone ({@link PoolHandler}), which tells it what happens (a process
 * {@linkplain #started started}, a task {@linkplain #assign assigned} or {@linkplain #finished finished}, the
 * process {@linkplain #vacate gone}); what follows from that for the position's bytes and counts is kept here.
 */
final class WorkerHandle
{
    /** Functions a worker keeps; the owner picks which one it forgets (see PoolMessages DEFINE). */
    static final int KNOWN_FUNCTIONS = 64;

    /** Receives the results this position's worker sends (see {@link PoolMessages#RESULT}). */
    @FunctionalInterface
    interface Results
    {
        void onResult(WorkerHandle worker, DirectBuffer buffer, int offset, int length);
    }

    private final AtomicBuffer session;
    private final int position;
    private final int at;
    private final int ringCapacity;
    private final OneToOneRingBuffer tasks;
    private final OneToOneRingBuffer results;
    private final RingOutbox outbox;
    private final RingInbox inbox;
    private final Long2ObjectHashMap<PoolTask> assigned = new Long2ObjectHashMap<>();
    private final LinkedHashMap<Integer, Boolean> knownFunctions = new LinkedHashMap<>(16, 0.75f, true);
    private Process process;
    private WorkerStats stats;
    private long sent;
    private boolean retiring;
    private boolean stopSent;
    private boolean ready;
    private int tasksDone;
    /** The probe waiting for this worker's answer (0: none), and how many tasks had been given when it was sent. */
    private long probe;
    private long probeCovers;
    // Ring positions: the ones this owner writes as it left them, the worker's as last seen (see checkRings).
    private long taskTail;
    private long taskHeadCache;
    private long taskHeadSeen;
    private long resultHead;
    private long resultTailSeen;

    WorkerHandle(final AtomicBuffer session, final int position, final int at, final int ringCapacity,
        final Results results)
    {
        this.session = session;
        this.position = position;
        this.at = at;
        this.ringCapacity = ringCapacity;
        this.tasks = PoolLayout.taskRing(session, at, ringCapacity);
        this.results = PoolLayout.resultRing(session, at, ringCapacity);
        this.outbox = new RingOutbox(tasks);
        this.inbox = new RingInbox((buffer, offset, length) -> results.onResult(this, buffer, offset, length));
    }

    int position()
    {
        return position;
    }

    /** The process at this position, or null between one that ended and its replacement. */
    Process process()
    {
        return process;
    }

    // ------------------------------------------------------------------------------------------- what happens

    /** A new process was started at this position: its stats begin, the position's header names it. */
    WorkerStats started(final Process started)
    {
        process = started;
        stats = new WorkerStats(position, started);
        session.putInt(at + PoolLayout.STARTS_OFFSET, session.getInt(at + PoolLayout.STARTS_OFFSET) + 1);
        session.putIntOrdered(at + PoolLayout.PROCESS_SLOT_OFFSET, started.slot());
        return stats;
    }

    /**
     * Gives this position's process a task: queues its function first when the process does not know it (and
     * which function it is to forget for it), then the task. A process given its {@code maxTasksPerChild}-th
     * task retires: it gets no more, and exits after it.
     */
    void assign(final PoolTask task, final int maxTasksPerChild)
    {
        final FunctionDef function = task.function;
        if (knownFunctions.get(function.id()) == null)
        {
            int forget = -1;
            if (knownFunctions.size() >= KNOWN_FUNCTIONS)
            {
                forget = knownFunctions.keySet().iterator().next();
                knownFunctions.remove(forget);
            }
            knownFunctions.put(function.id(), Boolean.TRUE);
            final byte[] define = new byte[PoolMessages.DEFINE_FUNCTION + function.encoded().length];
            final UnsafeBuffer view = new UnsafeBuffer(define);
            view.putByte(PoolMessages.KIND, PoolMessages.DEFINE);
            view.putInt(PoolMessages.DEFINE_FN_ID, function.id(), ByteOrder.LITTLE_ENDIAN);
            view.putInt(PoolMessages.DEFINE_FORGET_ID, forget, ByteOrder.LITTLE_ENDIAN);
            view.putBytes(PoolMessages.DEFINE_FUNCTION, function.encoded());
            outbox.add(define);
        }
        outbox.add(task.message);
        task.givenNanos = System.nanoTime();
        assigned.put(task.id, task);
        sent++;
        task.seq = sent;
        session.putLongOrdered(at + PoolLayout.TASKS_SENT_OFFSET, sent);
        if (maxTasksPerChild > 0 && sent >= maxTasksPerChild)
        {
            retiring = true;
        }
    }

    /** A result came for {@code taskId}: the task, no longer held here, or null when this process does not hold it. */
    PoolTask finished(final long taskId)
    {
        final PoolTask task = assigned.remove(taskId);
        if (task != null)
        {
            tasksDone++;
        }
        return task;
    }

    /** The task finished returned a value. */
    void succeeded(final PoolTask task)
    {
        stats.tasks++;
        stats.items += task.count;
    }

    /** The task finished raised, or its result could not be read. */
    void failed()
    {
        stats.failed++;
    }

    /** Closing: queues the message that tells the process to exit, once; true if it was queued now. */
    boolean stop()
    {
        if (stopSent)
        {
            return false;
        }
        outbox.add(new byte[] {PoolMessages.STOP});
        stopSent = true;
        return true;
    }

    /** The tasks this process holds, newest first, no longer held here (it died, or the pool fails them). */
    List<PoolTask> takeTasks()
    {
        final List<PoolTask> held = new ArrayList<>(assigned.values());
        held.sort(Comparator.comparingLong((PoolTask task) -> task.id).reversed());
        assigned.clear();
        return held;
    }

    /**
     * The process has exited and its results are read: both rings are emptied and everything about the process
     * forgotten, before a new one starts here. Only while neither end of the rings is in use.
     */
    void vacate()
    {
        PoolLayout.resetRings(session, at, ringCapacity);
        session.putIntOrdered(at + PoolLayout.PROCESS_SLOT_OFFSET, -1);
        outbox.clear();
        inbox.clear();
        assigned.clear();
        knownFunctions.clear();
        sent = 0;
        retiring = false;
        stopSent = false;
        ready = false;
        tasksDone = 0;
        process = null;
        stats = null;
        probe = 0;
        probeCovers = 0;
        taskTail = 0;
        taskHeadCache = 0;
        taskHeadSeen = 0;
        resultHead = 0;
        resultTailSeen = 0;
    }

    // -------------------------------------------------------------------------------------------- what it is

    /** Whether its process has run its initializer and waits for tasks (read from the position until it has). */
    boolean isReady()
    {
        if (!ready)
        {
            ready = session.getIntVolatile(at + PoolLayout.READY_OFFSET) == 1;
        }
        return ready;
    }

    /** Whether the process ever said it was ready, read afresh (for one that has just exited). */
    boolean wasReady()
    {
        return session.getIntVolatile(at + PoolLayout.READY_OFFSET) == 1;
    }

    /** Whether the process may be given another task, holding fewer than {@code prefetch}. */
    boolean canTake(final int prefetch)
    {
        return process != null && !retiring && !stopSent && assigned.size() < prefetch && isReady();
    }

    /** Tasks given to the process and not yet answered. */
    int load()
    {
        return assigned.size();
    }

    boolean hasTasks()
    {
        return !assigned.isEmpty();
    }

    /** Whether messages wait to go into the task ring. */
    boolean hasUnsent()
    {
        return !outbox.isEmpty();
    }

    /** Whether the process finished at least one task. */
    boolean madeProgress()
    {
        return tasksDone > 0;
    }

    /** Whether a process that exited with {@code exitCode} did so because it was told to (stop, or retiring). */
    boolean exitedAsPlanned(final Integer exitCode)
    {
        return exitCode != null && exitCode == 0 && assigned.isEmpty() && (retiring || stopSent);
    }

    /** Whether it was told to stop (the pool is closing). */
    boolean wasStopped()
    {
        return stopSent;
    }

    // --------------------------------------------------------------------------------------------------- rings

    /** Writes what waits for the task ring, as far as it has room; true when all of it is written. */
    boolean pump()
    {
        final boolean all = outbox.pump();
        final long before = taskTail;
        taskTail = tasks.producerPosition();
        if (taskTail != before)
        {
            wakeIfAsleep();
        }
        taskHeadCache = tasks.buffer().getLong(tasks.capacity() + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET);
        return all;
    }

    /**
     * Rings the process's doorbell if it says it is asleep, after this thread wrote a task or a probe: the write,
     * then the read of {@code asleep}, in that order (a full fence: the worker writes {@code asleep}, then reads the
     * ring), so either the worker sees the task or this sees it asleep.
     */
    private void wakeIfAsleep()
    {
        VarHandle.fullFence();
        if (process != null && session.getIntVolatile(at + PoolLayout.ASLEEP_OFFSET) == 1 &&
            session.compareAndSetInt(at + PoolLayout.ASLEEP_OFFSET, 1, 0))
        {
            Doorbell.ring(process);
        }
    }

    /**
     * Reads up to {@code limit} records of the result ring, handing each complete result on.
     *
     * @throws IllegalStateException when a record fits no message (the ring was written over).
     */
    int readResults(final int limit)
    {
        final int read = results.read(inbox, limit);
        resultHead = results.consumerPosition();
        return read;
    }

    /** The result ring's read position, to tell a read that passed over padding from one that found nothing. */
    long resultPosition()
    {
        return results.consumerPosition();
    }

    // ---------------------------------------------------------------------------------------------------- probe

    /** Sends a probe numbered {@code number} when none waits and every task given is written; true if sent. */
    boolean sendProbe(final long number)
    {
        if (probe != 0 || !outbox.isEmpty())
        {
            return false;
        }
        probe = number;
        probeCovers = sent;
        session.putLongVolatile(at + PoolLayout.PROBE_OFFSET, probe);
        wakeIfAsleep();
        return true;
    }

    /** Whether a probe was sent and not yet answered. */
    boolean isProbing()
    {
        return probe != 0;
    }

    /** Whether the process answered the probe waiting. */
    boolean probeAnswered()
    {
        return probe != 0 && session.getLongVolatile(at + PoolLayout.PROBE_ANSWERED_OFFSET) == probe;
    }

    /**
     * After the probe was answered and every result before the answer read: the tasks given before the probe that
     * are still unanswered, which the process will never answer. The probe is done with.
     */
    int lostToProbe()
    {
        final long covers = probeCovers;
        probe = 0;
        int lost = 0;
        for (final PoolTask task : assigned.values())
        {
            if (task.seq <= covers)
            {
                lost++;
            }
        }
        return lost;
    }

    /** No probe is wanted now (no tasks, or a process not ready). */
    void forgetProbe()
    {
        probe = 0;
    }

    // --------------------------------------------------------------------------------------------------- damage

    /**
     * Checks the positions of both rings, before this owner uses them and on every health check: the ones it
     * writes must be as it left them, the worker's must keep the ring's rules (aligned, never backwards, the head
     * behind the tail by no more than the capacity, the head cache behind the head).
     *
     * @return what is wrong, or null.
     */
    String checkRings()
    {
        final long tail = tasks.producerPosition();
        final long headCache = headCache(tasks);
        final long head = tasks.consumerPosition();
        if (tail != taskTail || headCache != taskHeadCache)
        {
            return "the task ring's tail reads " + tail + " and its head cache " + headCache + " where the pool " +
                "left " + taskTail + " and " + taskHeadCache;
        }
        if (!isPosition(head) || head < taskHeadSeen || head > tail)
        {
            return "the task ring's head reads " + head + ", outside the " + taskHeadSeen + ".." + tail +
                " it can be";
        }
        taskHeadSeen = head;
        final long resultTail = results.producerPosition();
        final long resultHeadCache = headCache(results);
        final long readHead = results.consumerPosition();
        if (readHead != resultHead)
        {
            return "the result ring's head reads " + readHead + " where the pool left " + resultHead;
        }
        if (!isPosition(resultTail) || resultTail < resultTailSeen || resultTail < readHead ||
            resultTail - readHead > results.capacity() || !isPosition(resultHeadCache) || resultHeadCache > readHead)
        {
            return "the result ring's tail reads " + resultTail + " and its head cache " + resultHeadCache +
                ", outside what they can be with its head at " + readHead + " and its tail last seen at " +
                resultTailSeen;
        }
        resultTailSeen = resultTail;
        return null;
    }

    /** What this owner writes in the task ring is as it left it (checked before each write). */
    boolean taskRingAsLeft()
    {
        return tasks.producerPosition() == taskTail && headCache(tasks) == taskHeadCache;
    }

    /** What this owner writes in the result ring is as it left it (checked before each read). */
    boolean resultRingAsLeft()
    {
        return results.consumerPosition() == resultHead;
    }

    private static long headCache(final RingBuffer ring)
    {
        return ring.buffer().getLong(ring.capacity() + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET);
    }

    private static boolean isPosition(final long position)
    {
        return position >= 0 && (position & (RecordDescriptor.ALIGNMENT - 1)) == 0;
    }
}
