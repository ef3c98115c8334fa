package mp4j.launcher;

import mp4j.managers.Manager;
import mp4j.managers.SharedDict;

/**
 * A main program for ManagerCleanupTest: makes a session and a {@code mp4j.managers.Manager} with a dict, prints the
 * session's name and the manager's blocks, then exits without closing the manager ("exit") or waits to be killed
 * ("wait").
 */
public final class DictManagerMain
{
    private DictManagerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Manager manager = new Manager();
        final SharedDict<String, Object> d = manager.dict();
        d.put("big", new byte[6 << 20]); // a second block
        System.out.println(manager.session().name() + " " + String.join(" ", manager.blockNames()));
        System.out.flush();
        if ("wait".equals(args[0]))
        {
            Thread.sleep(120_000); // killed by the test long before
        }
    }
}
