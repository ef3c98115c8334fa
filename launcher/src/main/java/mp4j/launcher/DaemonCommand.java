package mp4j.launcher;

import mp4j.process.CurrentProcess;
import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.session.Printable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.session.SessionLifecycle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * The lecture's {@code mp_daemon.py}: a daemon and a non-daemon worker. When the parent exits, the daemon is
 * terminated and the non-daemon is waited for; when the parent is killed (see scripts/kill-parent-demo.sh), the
 * daemon notices and exits by itself while the non-daemon finishes.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = {
        "mp_daemon.py: starts a daemon and a non-daemon worker and shows the difference at exit.",
        "The parent does not join them: at its exit the daemon is terminated, the non-daemon waited for."})
final class DaemonCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--daemon-seconds", defaultValue = "2", paramLabel = "S",
        description = "How long the daemon worker wants to work (default ${DEFAULT-VALUE}).")
    double daemonSeconds;

    @Option(names = "--worker-seconds", defaultValue = "1", paramLabel = "S",
        description = "How long the non-daemon worker works (default ${DEFAULT-VALUE}).")
    double workerSeconds;

    @Option(names = "--parent-seconds", defaultValue = "0.5", paramLabel = "S",
        description = "How long the parent lives after starting both (default ${DEFAULT-VALUE}).")
    double parentSeconds;

    @Override
    public Integer call() throws Exception
    {
        check("--daemon-seconds", daemonSeconds);
        check("--worker-seconds", workerSeconds);
        check("--parent-seconds", parentSeconds);
        final Process daemon = new Process(Work.class, daemonSeconds).name("daemon").daemon(true);
        final Process worker = new Process(Work.class, workerSeconds).name("non-daemon").daemon(false);
        System.out.printf("parent     pid %d: starting a daemon worker (%.1f s of work) and a non-daemon one " +
            "(%.1f s)%n", CurrentProcess.pid(), daemonSeconds, workerSeconds);
        daemon.start();
        worker.start();
        System.out.printf("parent     pid %d: started daemon pid %d and non-daemon pid %d%n", CurrentProcess.pid(),
            daemon.pid(), worker.pid());
        awaitRegistered(daemon);
        awaitRegistered(worker);
        Thread.sleep((long)(parentSeconds * 1000));
        System.out.printf("parent     pid %d: exiting without join(): the daemon will be terminated, the " +
            "non-daemon waited for%n", CurrentProcess.pid());
        System.out.flush();
        SessionLifecycle.atExit(SessionLifecycle.RESOURCES, () -> System.out.printf(
            "parent     pid %d: at exit: daemon exit code %s (%s), non-daemon exit code %s%n", CurrentProcess.pid(),
            daemon.exitCode(), describe(daemon.exitCode()), worker.exitCode()));
        return 0;
    }

    /** Waits until the worker JVM is up, so the demo shows both workers at work whatever the machine's speed. */
    private static void awaitRegistered(final Process process) throws InterruptedException
    {
        final var table = Session.current().processTable();
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (table.state(process.slot()) == SessionLayout.SLOT_NEW && process.isAlive() &&
            System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
    }

    private static String describe(final Integer code)
    {
        if (code == null)
        {
            return "still running";
        }
        return code < 0 ? "killed by signal " + -code + ", as Python reports it" : "exited";
    }

    private void check(final String option, final double seconds)
    {
        if (!(seconds >= 0) || seconds > 3600)
        {
            throw new CommandLine.ParameterException(
                spec.commandLine(), option + " must be between 0 and 3600 seconds, got " + seconds);
        }
    }

    /** What both workers do: announce, work, announce; the daemon usually never gets to its second line. */
    public static final class Work implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            final double seconds = (Double)args[0];
            say(String.format("%-10s pid %d: starting, %.1f s of work%n", Printable.escape(CurrentProcess.name()),
                CurrentProcess.pid(),
                seconds));
            Thread.sleep((long)(seconds * 1000));
            say(String.format("%-10s pid %d: exiting%n", Printable.escape(CurrentProcess.name()),
                CurrentProcess.pid()));
        }

        /** One write per line, so lines of processes sharing the terminal do not interleave. */
        private static void say(final String line)
        {
            System.out.print(line);
            System.out.flush();
        }
    }
}
