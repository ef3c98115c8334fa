package mp4j.launcher;

import mp4j.session.Session;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Barrier;
import mp4j.synchronize.Lock;
import mp4j.synchronize.Semaphore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The inspector shows a Value's value, an Array's first elements, and each lock's owner, waiters and liveness. */
class InspectSyncTest
{
    @Test
    void showsValuesArraysAndLockOwners()
    {
        final Session session = Session.current();
        final Value value = Value.create(session, "inspected-counter", 'i', true);
        value.set(1234);
        final Array array = Array.create(session, "inspected-array", 'd', 3, false);
        array.setDouble(1, 2.5);
        final Lock lock = Lock.create(session, "inspected-lock");
        Semaphore.create(session, "inspected-semaphore", 3, true);
        Barrier.create(session, "inspected-barrier", 2);
        value.getLock().acquire();
        lock.acquire();
        try
        {
            final Cli json = Cli.run("inspect", session.file().toString(), "--json");
            assertEquals(0, json.exitCode(), json.err());
            final String out = json.out();
            assertTrue(out.contains("\"value\":1234,\"lockKind\":\"own\",\"lock\":{\"locked\":true"), out);
            assertTrue(out.contains("\"elements\":3,\"values\":[0.0,2.5,0.0],\"lockKind\":\"none\""), out);
            assertTrue(out.contains("\"ownerPid\":" + ProcessHandle.current().pid()), out);
            assertTrue(out.contains("\"ownerAlive\":true"), out);
            assertTrue(out.contains("\"waiters\":0"), out);
            assertTrue(out.contains("\"parties\":2"), out);
            final Cli text = Cli.run("inspect", session.file().toString());
            assertEquals(0, text.exitCode(), text.err());
            assertTrue(text.out().contains("inspected-lock"), text.out());
            assertTrue(text.out().contains("lock=\"held by pid " + ProcessHandle.current().pid()), text.out());
        }
        finally
        {
            lock.release();
            value.getLock().release();
        }
    }
}
