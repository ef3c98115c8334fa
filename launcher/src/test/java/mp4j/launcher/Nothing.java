package mp4j.launcher;

import mp4j.process.Target;

/** A worker target that does nothing: a process to see in the process table. */
public final class Nothing implements Target
{
    @Override
    public void run(final Object... args)
    {
    }
}
