package mp4j.pool;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RoundTripIdleTest
{
    @Test
    void spinsThenYieldsThenParksAndStartsOverWhenWorkCame()
    {
        final RoundTripIdle idle = (RoundTripIdle)RoundTripIdle.create(1_000);
        for (int i = 0; i < RoundTripIdle.SPINS; i++)
        {
            assertEquals("spinning", idle.phase());
            idle.idle();
        }
        assertEquals("yielding", idle.phase());
        for (int i = 0; i < RoundTripIdle.MAX_YIELDS && "yielding".equals(idle.phase()); i++)
        {
            idle.idle(); // a slow yield (a busy machine) ends this phase early
        }
        assertEquals("parking", idle.phase());
        idle.idle(); // a park of at most 1 us (+ slack)
        idle.idle(1);
        assertEquals("spinning", idle.phase());
    }

    @Test
    void aWakeableWaiterBecomesSleepyOnlyOnceParking()
    {
        final RoundTripIdle idle = (RoundTripIdle)RoundTripIdle.create(1_000, true);
        while (!"parking".equals(idle.phase()))
        {
            assertFalse(idle.sleepy(), "sleepy while " + idle.phase());
            idle.idle();
        }
        // at once after a dear yield (a busy machine), else after SLEEP_AFTER_NANOS of parks
        final long deadline = System.nanoTime() + 10 * RoundTripIdle.SLEEP_AFTER_NANOS + 1_000_000_000L;
        while (!idle.sleepy())
        {
            assertTrue(System.nanoTime() < deadline, "never sleepy");
            idle.idle();
        }
        assertEquals("parking", idle.phase());
        idle.idle(1);
        assertFalse(idle.sleepy(), "work came: spinning again");
        assertEquals("spinning", idle.phase());
    }

    @Test
    void aWaitingThreadAsksForATimerSlackOfOneMicrosecond() throws Exception
    {
        final Path self = Path.of("/proc/thread-self");
        assumeTrue(Files.exists(self), "Linux only");
        final Path slack = slack(self);
        final String before = Files.readString(slack).trim();
        final String[] seen = new String[2];
        final Thread thread = new Thread(() ->
        {
            try
            {
                seen[0] = Files.readString(slack(Path.of("/proc/thread-self"))).trim();
                RoundTripIdle.create(1_000);
                seen[1] = Files.readString(slack(Path.of("/proc/thread-self"))).trim();
            }
            catch (final Exception ex)
            {
                seen[1] = ex.toString();
            }
        });
        thread.start();
        thread.join();
        assertEquals(before, seen[0], "a new thread inherits its creator's slack");
        assertEquals(Long.toString(RoundTripIdle.TIMER_SLACK_NANOS), seen[1]);
        assertEquals(before, Files.readString(slack).trim(), "only the waiting thread's own slack changes");
    }

    private static Path slack(final Path threadSelf) throws Exception
    {
        return Path.of("/proc", Files.readSymbolicLink(threadSelf).getFileName().toString(), "timerslack_ns");
    }
}
