package mp4j.cluster;

/**
 * What one server node did for a pool: its tasks (chunks) and items; the cluster pool's counterpart of a local
 * pool's {@code WorkerRecord}.
 *
 * @param node  the node's id, first 8 hex digits.
 * @param host  its address.
 * @param pid   its JVM's process id.
 * @param tasks the pool's chunks it ran.
 * @param items the items in those chunks.
 */
public record NodeWork(String node, String host, long pid, long tasks, long items)
{
}
