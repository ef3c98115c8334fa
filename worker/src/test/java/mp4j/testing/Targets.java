package mp4j.testing;

import mp4j.process.CurrentProcess;
import mp4j.process.Target;

import java.nio.file.Files;
import java.nio.file.Path;

/** Targets the process tests run in worker JVMs. */
public final class Targets
{
    private Targets()
    {
    }

    /** Exits with the code given as its argument, through System.exit. */
    public static final class ExitWith implements Target
    {
        @Override
        public void run(final Object... args)
        {
            System.exit((Integer)args[0]);
        }
    }

    /** Sleeps for the given milliseconds. */
    public static final class Sleep implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            Thread.sleep(((Number)args[0]).longValue());
        }
    }

    /** Throws, so the worker exits with 1 and a traceback, as Python's. */
    public static final class Fail implements Target
    {
        @Override
        public void run(final Object... args)
        {
            throw new IllegalStateException("failing on purpose");
        }
    }

    /** Throws as it is made: what the worker prints is this exception, not the reflection that made it. */
    public static final class FailInConstructor implements Target
    {
        public FailInConstructor()
        {
            throw new IllegalStateException("failing in the constructor");
        }

        @Override
        public void run(final Object... args)
        {
        }
    }

    /** Writes its name, pid and whether it is the creator into the file given as argument. */
    public static final class WhoAmI implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            Files.writeString(Path.of((String)args[0]),
                CurrentProcess.name() + " " + CurrentProcess.pid() + " " + CurrentProcess.isCreator());
        }
    }
}
