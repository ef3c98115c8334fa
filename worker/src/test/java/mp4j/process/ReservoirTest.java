package mp4j.process;

import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.testing.Targets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ReservoirTest
{
    @AfterEach
    void emptyTheReservoir()
    {
        Reservoir.prestart(0);
    }

    @Test
    void startTakesARunningReserveAndGivesItTheTarget(@TempDir final Path dir) throws Exception
    {
        final ProcessTable table = Session.current().processTable();
        Reservoir.prestart(2);
        final Set<Long> reservePids = new HashSet<>();
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (reservePids.size() < 2 && System.nanoTime() < deadline)
        {
            reservePids.clear();
            for (int slot = 1; slot < table.slotCount(); slot++)
            {
                if (table.state(slot) == SessionLayout.SLOT_RUNNING && Reservoir.ROLE.equals(table.role(slot)) &&
                    table.isAlive(slot))
                {
                    reservePids.add(table.pid(slot));
                }
            }
            Thread.sleep(5);
        }
        assertEquals(2, reservePids.size(), "two reserve workers registered");

        final String out = dir.resolve("out").toString();
        final Process p = new Process(args -> Files.writeString(Path.of(out), "ran " + args[0]), "here")
            .name("adopted").start();
        assertTrue(reservePids.contains(p.pid()), "the process runs in a reserve JVM");
        assertEquals("adopted", table.name(p.slot()));
        assertEquals("process", table.role(p.slot()));
        assertFalse(table.isDaemon(p.slot()));
        p.join();
        assertEquals(0, p.exitCode());
        assertEquals("ran here", Files.readString(Path.of(out)));

        final Process killed = new Process(Targets.Sleep.class, 60_000L).start();
        killed.kill();
        killed.join();
        assertEquals(-9, killed.exitCode(), "exit codes are the same for adopted reserves");
    }

    @Test
    void badSizesAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> Reservoir.prestart(-1));
        assertThrows(IllegalArgumentException.class, () -> Reservoir.prestart(100_000));
    }
}
