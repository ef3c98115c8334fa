package mp4j.pool;

import mp4j.process.Process;

/** What the pool's owner counts for one worker process; written by the handler thread, read by anyone. */
final class WorkerStats
{
    final int position;
    final Process process;
    volatile long tasks;
    volatile long items;
    volatile long failed;

    WorkerStats(final int position, final Process process)
    {
        this.position = position;
        this.process = process;
    }

    WorkerRecord snapshot()
    {
        return new WorkerRecord(position, process.pid(), tasks, items, failed, process.isAlive(),
            process.isAlive() ? null : process.exitCode());
    }
}
