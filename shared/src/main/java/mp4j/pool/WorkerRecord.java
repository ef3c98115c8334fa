package mp4j.pool;

/**
 * One worker process a pool has run, as the pool's owner counted it: tasks are chunks (as Python counts them),
 * items the inputs they held.
 *
 * @param position  the worker position it held (0 .. processes-1).
 * @param pid       its operating-system process id.
 * @param tasks     tasks it returned a result for.
 * @param items     items in those tasks.
 * @param failed    tasks that raised.
 * @param alive     whether it is still running.
 * @param exitCode  its exit code once it has exited (negative: killed by that signal), else null.
 */
public record WorkerRecord(int position, long pid, long tasks, long items, long failed, boolean alive,
    Integer exitCode)
{
}
