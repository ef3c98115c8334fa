package mp4j.process;

import mp4j.session.Session;
import mp4j.testing.Targets;

/**
 * A parent JVM for the daemon tests: starts N daemon children that would sleep a minute, prints
 * "pids PID... SESSION_FILE" at once (the children are still booting), then waits to be killed.
 */
public final class DaemonsParentMain
{
    private DaemonsParentMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int count = Integer.parseInt(args[0]);
        final StringBuilder line = new StringBuilder("pids");
        for (int i = 0; i < count; i++)
        {
            line.append(' ').append(new Process(Targets.Sleep.class, 60_000L).daemon(true).start().pid());
        }
        System.out.println(line.append(' ').append(Session.current().file()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
