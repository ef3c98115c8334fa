package mp4j.testing;

import mp4j.process.Process;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The worker processes a test started, killed after the test if still running, also when it failed: register with
 * {@code @RegisterExtension final StartedProcesses started = new StartedProcesses();} and wrap each
 * {@code new Process(...)} in {@link #track}.
 */
public final class StartedProcesses implements AfterEachCallback
{
    private final List<Process> processes = new ArrayList<>();

    public Process track(final Process process)
    {
        processes.add(process);
        return process;
    }

    public Process get(final int index)
    {
        return processes.get(index);
    }

    @Override
    public void afterEach(final ExtensionContext context) throws InterruptedException
    {
        for (final Process process : processes)
        {
            if (process.isAlive())
            {
                process.kill();
                process.join(5_000);
            }
        }
        processes.clear();
    }
}
