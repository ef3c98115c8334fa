package mp4j.pool;

import mp4j.process.Process;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

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
    }
}
