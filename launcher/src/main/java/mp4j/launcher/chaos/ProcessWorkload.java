package mp4j.launcher.chaos;

import mp4j.process.Process;
import mp4j.process.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plain processes, daemon and not: each sleeps a random while and exits with a known code. Killed ones must report
 * -9, the others their code; nothing may be left behind (checked by the chaos script).
 */
public final class ProcessWorkload implements ChaosWorkload
{
    @Override
    public String name()
    {
        return "process";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int count = 2 + random.nextInt(3);
        final List<Process> processes = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Process p = new Process(ExitAfter.class, 200L + random.nextInt(800), 10 + i)
                .daemon(random.nextBoolean()).start();
            processes.add(p);
            events.worker(p.pid(), "worker", p.daemon());
        }
        events.emit("ready");
        long wrong = 0;
        final StringBuilder detail = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            final Process p = processes.get(i);
            if (!p.join(60_000))
            {
                throw new IllegalStateException("process " + p.pid() + " did not end within 60 s");
            }
            final int code = p.exitCode();
            if (code != 10 + i && code != -9)
            {
                wrong++;
                detail.append(" pid ").append(p.pid()).append(" exit ").append(code);
            }
        }
        return new ChaosResult(count, 0, 0, wrong, 0, wrong == 0 ? "exit codes as expected" : detail.toString());
    }

    /** Sleeps, then exits with the given code. */
    public static final class ExitAfter implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            Thread.sleep((Long)args[0]);
            System.exit((Integer)args[1]);
        }
    }
}
