package mp4j.pool;

import mp4j.process.Process;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.LinkedHashMap;

/** The pool owner's view of one worker position: its rings, its process, the tasks given to it. */
final class WorkerHandle
{
    /** Functions a worker keeps; the owner picks which one it forgets (see PoolMessages DEFINE). */
    static final int KNOWN_FUNCTIONS = 64;

    final int position;
    final int at;
    final OneToOneRingBuffer tasks;
    final OneToOneRingBuffer results;
    final RingOutbox outbox;
    RingInbox inbox;
    final Long2ObjectHashMap<PoolTask> assigned = new Long2ObjectHashMap<>();
    final LinkedHashMap<Integer, Boolean> knownFunctions = new LinkedHashMap<>(16, 0.75f, true);
    Process process;
    WorkerStats stats;
    long sent;
    boolean retiring;
    boolean stopSent;
    boolean ready;
    int tasksDoneByThisProcess;
    /** The probe waiting for this worker's answer (0: none), and how many tasks had been given when it was sent. */
    long probe;
    long probeCovers;
    // Ring positions: the ones this owner writes as it left them, the worker's as last seen (see checkRings).
    private long taskTail;
    private long taskHeadCache;
    private long taskHeadSeen;
    private long resultHead;
    private long resultTailSeen;

    WorkerHandle(final AtomicBuffer session, final int position, final int at, final int ringCapacity)
    {
        this.position = position;
        this.at = at;
        this.tasks = PoolLayout.taskRing(session, at, ringCapacity);
        this.results = PoolLayout.resultRing(session, at, ringCapacity);
        this.outbox = new RingOutbox(tasks);
    }

    /** Forgets everything about the last process at this position, before a new one starts there. */
    void reset()
    {
        outbox.clear();
        if (inbox != null)
        {
            inbox.clear();
        }
        assigned.clear();
        knownFunctions.clear();
        sent = 0;
        retiring = false;
        stopSent = false;
        ready = false;
        tasksDoneByThisProcess = 0;
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

    /** After this owner wrote to the task ring: its tail and head cache are what it left. */
    void wroteTasks()
    {
        taskTail = tasks.producerPosition();
        taskHeadCache = tasks.buffer().getLong(tasks.capacity() + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET);
    }

    /** After this owner read the result ring: its head is what it left. */
    void readResults()
    {
        resultHead = results.consumerPosition();
    }

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
        final long headCache = tasks.buffer().getLong(tasks.capacity() + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET);
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
        final long resultHeadCache =
            results.buffer().getLong(results.capacity() + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET);
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
        return tasks.producerPosition() == taskTail &&
            tasks.buffer().getLong(tasks.capacity() + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET) == taskHeadCache;
    }

    /** What this owner writes in the result ring is as it left it (checked before each read). */
    boolean resultRingAsLeft()
    {
        return results.consumerPosition() == resultHead;
    }

    private static boolean isPosition(final long position)
    {
        return position >= 0 && (position & (RecordDescriptor.ALIGNMENT - 1)) == 0;
    }
}
