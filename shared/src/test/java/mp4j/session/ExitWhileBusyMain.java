package mp4j.session;

import mp4j.sharedctypes.Value;

/** Prints its session file, then exits while another thread is still adding to a shared Value. */
public final class ExitWhileBusyMain
{
    private ExitWhileBusyMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Value value = new Value('q', 0, false);
        final Thread busy = new Thread(() ->
        {
            while (true)
            {
                value.set(value.get() + 1);
            }
        });
        busy.start();
        while (value.get() < 1_000)
        {
            Thread.onSpinWait();
        }
        System.out.println(Session.current().file());
        System.out.flush();
        System.exit(0);
    }
}
