package mp4j.launcher;

import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryManager;

/**
 * A main program for the cleanup tests: makes a session, a manager and a block, prints the session and block
 * names, then exits without closing the manager ("exit") or waits to be killed ("wait").
 */
public final class ManagerCreatorMain
{
    private ManagerCreatorMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final SharedMemoryManager manager = new SharedMemoryManager();
        final SharedMemory shm = manager.sharedMemory(4096);
        shm.buf().putInt(0, 1234);
        System.out.println(manager.session().name() + " " + shm.name());
        System.out.flush();
        if ("wait".equals(args[0]))
        {
            Thread.sleep(120_000); // killed by the test long before
        }
    }
}
