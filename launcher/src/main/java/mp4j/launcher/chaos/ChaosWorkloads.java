package mp4j.launcher.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every workload scripts/chaos can run, by name. */
public final class ChaosWorkloads
{
    private ChaosWorkloads()
    {
    }

    public static Map<String, ChaosWorkload> all()
    {
        final Map<String, ChaosWorkload> workloads = new LinkedHashMap<>();
        for (final ChaosWorkload workload : List.<ChaosWorkload>of(
            new ProcessWorkload(),
            new SharedMemoryWorkload(),
            new PoolWorkload(),
            new LockWorkload(),
            new QueueWorkload(),
            new ManagerWorkload(), new DamageWorkload()))
        {
            workloads.put(workload.name(), workload);
        }
        return workloads;
    }
}
