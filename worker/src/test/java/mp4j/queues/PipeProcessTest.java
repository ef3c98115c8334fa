package mp4j.queues;

import mp4j.process.Process;
import mp4j.session.Session;
import mp4j.testing.StartedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;

import static org.junit.jupiter.api.Assertions.*;

/** Pipes between worker JVMs: order, big values, and EOF when the other side's process is killed. */
@Timeout(120)
class PipeProcessTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    private Process track(final Process process)
    {
        return started.track(process);
    }

    @Test
    void workerEchoesValuesBackInOrderIncludingOversizedOnes() throws Exception
    {
        final Pipe pipe = Pipe.create(Session.current(), null, true, 4096);
        final Process echo = track(new Process(args ->
        {
            final Connection conn = (Connection)args[0];
            while (true)
            {
                final Object value = conn.recv();
                if ("stop".equals(value))
                {
                    return;
                }
                conn.send(value);
            }
        }, pipe.conn2())).start();
        pipe.conn2().close(); // as in Python: the parent closes the end it handed over
        final byte[] big = new byte[1 << 20];
        big[12345] = 7;
        for (long i = 0; i < 10_000; i++)
        {
            pipe.conn1().send(i);
            assertEquals(i, pipe.conn1().recv());
        }
        pipe.conn1().send(big);
        assertArrayEquals(big, (byte[])pipe.conn1().recv());
        pipe.conn1().send("stop");
        echo.join();
        assertEquals(0, echo.exitCode());
        assertThrows(EOFException.class, () -> pipe.conn1().recv(), "the worker exited: EOF");
    }

    @Test
    void killedSenderLeavesWholeValuesThenEofNotAHang() throws Exception
    {
        final Pipe pipe = Pipe.create(Session.current(), null, false, 4096);
        final Process sender = track(new Process(args ->
        {
            final Connection conn = (Connection)args[0];
            conn.send("first");
            while (true)
            {
                conn.send(new byte[1 << 20]); // never waits: what the parent does not read is spilled
            }
        }, pipe.conn2())).start();
        pipe.conn2().close();
        assertEquals("first", pipe.conn1().recv());
        assertTrue(pipe.conn1().poll(30_000), "a big value arrives");
        sender.kill(); // mid-send, most likely
        sender.join();
        final long began = System.nanoTime();
        int whole = 0;
        while (true)
        {
            final Object value;
            try
            {
                value = pipe.conn1().recv();
            }
            catch (final EOFException ex)
            {
                break;
            }
            assertEquals(1 << 20, ((byte[])value).length, "only whole values arrive");
            whole++;
        }
        assertTrue(whole >= 1);
        assertTrue(System.nanoTime() - began < 20_000_000_000L);
        assertEquals(-9, sender.exitCode());
    }
}
