package mp4j.session;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that is already exiting when mp4j's code first runs in it, as a daemon worker still booting when its parent
 * dies gets the kernel's SIGTERM first: it then asks for an exit action, prints "asked" and lets the exit finish.
 */
public final class ExitingJvmMain
{
    private ExitingJvmMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                release.await(10, TimeUnit.SECONDS); // holds the exit open until main has asked
            }
            catch (final InterruptedException ignore)
            {
                // exiting anyway
            }
        }));
        new Thread(() -> System.exit(143), "exit").start();
        while (!shuttingDown())
        {
            Thread.onSpinWait();
        }
        SessionLifecycle.atExit(SessionLifecycle.RESOURCES, () -> { }); // what WorkerMain's first steps do
        System.out.println("asked");
        System.out.flush();
        release.countDown();
        Thread.sleep(10_000); // the exit halts the JVM meanwhile
    }

    private static boolean shuttingDown()
    {
        final Thread probe = new Thread(() -> { });
        try
        {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        }
        catch (final IllegalStateException ex)
        {
            return true;
        }
    }
}
