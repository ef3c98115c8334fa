package mp4j.launcher.chaos;

import mp4j.launcher.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON object per line on stdout, read by scripts/chaos: which pids exist and what they do. */
public final class ChaosEvents
{
    public synchronized void emit(final String event, final Object... keyValues)
    {
        final Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2)
        {
            line.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        System.out.println(Json.write(line));
        System.out.flush();
    }

    /** A process the chaos script may kill, and its role ("worker", "lock-holder", "producer", ...). */
    public void worker(final long pid, final String role, final boolean daemon)
    {
        emit("worker", "pid", pid, "role", role, "daemon", daemon);
    }
}
