package mp4j.queues;

import mp4j.session.Session;

/**
 * A program whose queue spills: puts 100,000 values nobody reads, prints its session file, then exits ("exit") or
 * waits to be killed ("wait").
 */
public final class SpillingMain
{
    private SpillingMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        for (int i = 0; i < 100_000; i++)
        {
            q.put(i);
        }
        System.out.println(Session.current().file());
        System.out.flush();
        if (args[0].equals("wait"))
        {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
