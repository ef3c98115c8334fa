package mp4j.launcher;

import picocli.CommandLine.Help.Ansi;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr for long demo jobs, drawn with picocli's ANSI support (colour only where
 * the terminal has it). It redraws at most every 100 ms, so a fast job does not spend its time printing.
 */
final class ProgressBar implements AutoCloseable
{
    private static final int WIDTH = 40;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    /** Redrawing with carriage returns only makes sense on a terminal; elsewhere the bar prints once, at the end. */
    private final boolean live = System.console() != null;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long done;
    private long lastDrawn;

    ProgressBar(final PrintStream out, final String label, final long total)
    {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        if (live)
        {
            draw();
        }
    }

    void step(final long n)
    {
        done += n;
        final long now = System.nanoTime();
        if (live && (now - lastDrawn >= REDRAW_NANOS || done >= total))
        {
            lastDrawn = now;
            draw();
        }
    }

    private void draw()
    {
        final int filled = (int)(WIDTH * Math.min(done, total) / total);
        final double seconds = (System.nanoTime() - started) / 1e9;
        out.print((live ? "\r" : "") + Ansi.AUTO.string(String.format("%s @|green %s|@%s %3d%% %d/%d %.1f s", label,
            "#".repeat(filled), " ".repeat(WIDTH - filled), 100 * done / total, done, total, seconds)));
        out.flush();
    }

    @Override
    public void close()
    {
        draw();
        out.println();
    }
}
