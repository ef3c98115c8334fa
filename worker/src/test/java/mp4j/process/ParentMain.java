package mp4j.process;

import mp4j.session.Session;
import mp4j.testing.Targets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parent JVM for the daemon tests: starts a daemon child that would sleep a minute and a non-daemon child that
 * writes a marker file after a while, prints "pids DAEMON NONDAEMON SESSION_FILE", then waits to be killed.
 */
public final class ParentMain
{
    private ParentMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String marker = args[0];
        final long workMillis = Long.parseLong(args[1]);
        final Process daemon = new Process(Targets.Sleep.class, 60_000L).name("daemon").daemon(true).start();
        final Process worker = new Process(new WriteMarkerLater(), marker, workMillis).name("worker").start();
        System.out.println("pids " + daemon.pid() + " " + worker.pid() + " " + Session.current().file());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Sleeps, then writes the marker file: proof that a non-daemon child ran to completion. */
    static final class WriteMarkerLater implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            Thread.sleep((Long)args[1]);
            Files.writeString(Path.of((String)args[0]), "done");
        }
    }
}
