package mp4j.cluster;

import mp4j.sharedctypes.CTypes;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;
import org.apache.ignite.IgniteAtomicReference;
import org.apache.ignite.IgniteQueue;
import org.apache.ignite.cluster.ClusterMetrics;
import org.apache.ignite.cluster.ClusterNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as {@code launcher cluster} shows it, as {@code launcher inspect} shows a session: each node (role,
 * address, pid, uptime, load) and each mp4j object (kind, state, who made it). Read-only: looking at an object
 * never makes it.
 */
public final class ClusterSnapshot
{
    private final List<Map<String, Object>> nodes;
    private final List<Map<String, Object>> objects;

    private ClusterSnapshot(final List<Map<String, Object>> nodes, final List<Map<String, Object>> objects)
    {
        this.nodes = nodes;
        this.objects = objects;
    }

    static ClusterSnapshot of(final Ignite ignite)
    {
        final List<Map<String, Object>> nodes = new ArrayList<>();
        final long now = System.currentTimeMillis();
        final ClusterNode self = ignite.cluster().localNode();
        for (final ClusterNode node : ignite.cluster().nodes())
        {
            final Map<String, Object> n = new LinkedHashMap<>();
            n.put("node", node.id().toString().substring(0, 8));
            n.put("role", node.isClient() ? "client" : "server");
            n.put("self", node.id().equals(self.id()));
            n.put("address", node.isClient() ? host(node) : String.valueOf(node.consistentId()));
            n.put("host", host(node));
            final Object pid = node.attribute(IgniteSetup.ATTR_PID);
            n.put("pid", pid != null ? pid : node.attribute("org.apache.ignite.jvm.pid"));
            final Object started = node.attribute(IgniteSetup.ATTR_STARTED);
            n.put("uptimeSeconds", started instanceof Long s ? Math.max(0, (now - s) / 1000) : null);
            final ClusterMetrics metrics = node.metrics();
            n.put("cpuLoadPercent", Math.round(Math.max(0, metrics.getCurrentCpuLoad()) * 1000) / 10.0);
            n.put("heapUsedMB", metrics.getHeapMemoryUsed() / (1024 * 1024));
            n.put("activeJobs", metrics.getCurrentActiveJobs());
            n.put("mp4j", node.attribute(IgniteSetup.ATTR_ROLE) != null);
            nodes.add(n);
        }
        nodes.sort((a, b) -> ((String)a.get("role")).compareTo((String)b.get("role")) != 0 ?
            ((String)b.get("role")).compareTo((String)a.get("role")) :
            String.valueOf(a.get("address")).compareTo(String.valueOf(b.get("address"))));
        final List<Map<String, Object>> objects = new ArrayList<>();
        for (final Map.Entry<String, ObjectRecord> entry : ObjectRegistry.all(ignite).entrySet())
        {
            final ObjectRecord record = entry.getValue();
            final Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", entry.getKey());
            o.put("kind", record.kind);
            if (record.detail != null && !record.detail.isEmpty())
            {
                o.put("detail", record.detail);
            }
            o.put("state", state(ignite, entry.getKey(), record));
            o.put("createdBy", record.creator);
            o.put("ageSeconds", Math.max(0, (now - record.createdMillis) / 1000));
            objects.add(o);
        }
        return new ClusterSnapshot(nodes, objects);
    }

    private static String host(final ClusterNode node)
    {
        for (final String address : node.addresses())
        {
            if (!address.contains(":") && !address.startsWith("127."))
            {
                return address;
            }
        }
        return node.addresses().isEmpty() ? "?" : node.addresses().iterator().next();
    }

    private static String state(final Ignite ignite, final String name, final ObjectRecord record)
    {
        try
        {
            switch (record.kind)
            {
                case "Value":
                {
                    final IgniteAtomicLong value = ignite.atomicLong(name, 0, false);
                    if (value == null)
                    {
                        return "lost";
                    }
                    final char code = record.detail != null && record.detail.length() == 3 ? record.detail.charAt(1) : 'q';
                    final long bits = value.get();
                    return "value " + (code == 'd' || code == 'f' ? Double.toString(Double.longBitsToDouble(bits)) :
                        Long.toString(CTypes.wrap(code, bits))) + lockState(ignite, name + ".lock", "; its lock ");
                }
                case "Lock":
                {
                    final IgniteAtomicLong lock = ignite.atomicLong(name, 0, false);
                    return lock == null ? "lost" : lock.get() != 0 ? "held (node " + lock.get() + ")" : "free";
                }
                case "RLock":
                    return lockState(ignite, name, "");
                case "Condition":
                    return lockState(ignite, record.detail != null ? record.detail.substring("lock ".length()) : name + ".lock",
                        "lock ");
                case "Semaphore":
                case "BoundedSemaphore":
                {
                    final IgniteAtomicReference<String> semaphore = ignite.atomicReference(name, null, false);
                    return semaphore == null ? "lost" : "value " + ClusterSemaphore.permits(semaphore.get());
                }
                case "Event":
                {
                    final IgniteAtomicLong state = ignite.atomicLong(name, 0, false);
                    return state == null ? "lost" : (state.get() & 1) != 0 ? "set" : "clear";
                }
                case "Barrier":
                {
                    final IgniteAtomicLong state = ignite.atomicLong(name, 0, false);
                    final IgniteAtomicLong broken = ignite.atomicLong(name + ".broken", 0, false);
                    if (state == null || broken == null)
                    {
                        return "lost";
                    }
                    final long s = state.get();
                    return "waiting " + (int)s + (broken.get() == (s >>> 32) + 1 ? ", broken" : "");
                }
                case "Queue":
                case "JoinableQueue":
                {
                    final IgniteQueue<Object> queue = ignite.queue(name, 0, null);
                    if (queue == null)
                    {
                        return "lost";
                    }
                    final IgniteAtomicLong unfinished = record.kind.equals("JoinableQueue") ?
                        ignite.atomicLong(name + ".unfinished", 0, false) : null;
                    return "qsize " + queue.size() + (unfinished != null ? ", unfinished " + unfinished.get() : "");
                }
                default:
                    return "?";
            }
        }
        catch (final RuntimeException ex)
        {
            return "unreadable (" + ex.getMessage() + ")";
        }
    }

    private static String lockState(final Ignite ignite, final String name, final String prefix)
    {
        final IgniteAtomicReference<String> lock = ignite.atomicReference(name, null, false);
        if (lock == null)
        {
            return prefix.isEmpty() ? "lost" : "";
        }
        final String word = lock.get();
        return prefix + (word.isEmpty() ? "free" : "held (node " + word.substring(0, word.indexOf(':')) + ")");
    }

    /**
     * The cluster's nodes.
     *
     * @return one map per node: node, role, self, address, host, pid, uptimeSeconds, cpuLoadPercent, heapUsedMB,
     *         activeJobs, mp4j.
     */
    public List<Map<String, Object>> nodes()
    {
        return nodes;
    }

    /**
     * The mp4j objects on the cluster.
     *
     * @return one map per object: name, kind, detail, state, createdBy, ageSeconds.
     */
    public List<Map<String, Object>> objects()
    {
        return objects;
    }
}
