package mp4j.launcher.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy processes beside a benchmark, as a user's machine has: each a shell spinning in a loop, using a core for as
 * long as it runs. Python's twins start the same shell loops, so both sides share the cores with the same load.
 */
final class Spinners implements AutoCloseable
{
    private final List<Process> processes = new ArrayList<>();

    Spinners(final int count) throws IOException
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                processes.add(new ProcessBuilder("sh", "-c", "while :; do :; done")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
            }
        }
        catch (final IOException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public void close()
    {
        for (final Process process : processes)
        {
            process.destroyForcibly();
        }
        for (final Process process : processes)
        {
            try
            {
                process.waitFor();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
