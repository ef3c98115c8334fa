package mp4j.util;

import mp4j.process.Process;
import mp4j.testing.Targets;

/** A parent JVM for {@link LoggingTest}: starts one worker and joins it. */
public final class LoggingParentMain
{
    private LoggingParentMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Process process = new Process(Targets.Sleep.class, 1).name("logged-worker").start();
        process.join();
        System.out.println("exit " + process.exitCode());
    }
}
