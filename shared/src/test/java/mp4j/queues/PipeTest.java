package mp4j.queues;

import mp4j.codec.ValueCodec;
import mp4j.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class PipeTest
{
    @Test
    void valuesGoBothWaysInOrder() throws Exception
    {
        final Pipe pipe = Pipe.create();
        pipe.conn1().send(42L);
        pipe.conn1().send("héllo");
        pipe.conn1().send(null);
        pipe.conn1().send(List.of(1, "two", 3.0));
        pipe.conn2().send(new int[] {1, 2, 3});
        assertTrue(pipe.conn2().poll());
        assertEquals(42L, pipe.conn2().recv());
        assertEquals("héllo", pipe.conn2().recv());
        assertNull(pipe.conn2().recv());
        assertEquals(List.of(1, "two", 3.0), pipe.conn2().recv());
        assertFalse(pipe.conn2().poll());
        assertArrayEquals(new int[] {1, 2, 3}, (int[])pipe.conn1().recv());
    }

    @Test
    void manyValuesThroughASmallRingKeepTheirOrder() throws Exception
    {
        final Pipe pipe = Pipe.create(Session.current(), null, false, 1024);
        final int count = 200_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread sender = new Thread(() ->
        {
            try
            {
                for (long i = 0; i < count; i++)
                {
                    pipe.conn2().send(i);
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        sender.start();
        for (long i = 0; i < count; i++)
        {
            assertEquals(i, pipe.conn1().recv());
        }
        sender.join();
        assertNull(failure.get());
    }

    @Test
    void valuesLargerThanARingRecordArriveWhole() throws Exception
    {
        final Pipe pipe = Pipe.create(Session.current(), null, true, 4096); // records of at most 512 bytes
        final byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 31);
        }
        final String text = "x".repeat(10_000) + "end";
        final Thread sender = new Thread(() ->
        {
            try
            {
                pipe.conn1().send(big);
                pipe.conn1().send(7);
                pipe.conn1().send(text);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertArrayEquals(big, (byte[])pipe.conn2().recv());
        assertEquals(7, pipe.conn2().recv());
        assertEquals(text, pipe.conn2().recv());
        sender.join();
    }

    @Test
    void bytesGoThroughAsPythonsSendBytesAndRecvBytes() throws Exception
    {
        final Pipe pipe = Pipe.create();
        final byte[] data = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        pipe.conn1().sendBytes(data);
        pipe.conn1().sendBytes(data, 2, 3);
        pipe.conn1().sendBytes(data, 10, 0);
        pipe.conn1().send(7L); // a value sent with send() comes to recvBytes as its encoding, as Python's pickle
        assertArrayEquals(data, pipe.conn2().recvBytes());
        assertArrayEquals("234".getBytes(java.nio.charset.StandardCharsets.US_ASCII), pipe.conn2().recvBytes(3));
        assertArrayEquals(new byte[0], pipe.conn2().recvBytes());
        final byte[] encoded = pipe.conn2().recvBytes();
        assertEquals(7L, new ValueCodec().decode(new org.agrona.concurrent.UnsafeBuffer(encoded), 0,
            encoded.length));

        pipe.conn2().sendBytes(data, 0, 4);
        final byte[] into = new byte[8];
        assertEquals(4, pipe.conn1().recvBytesInto(into, 3));
        assertArrayEquals(new byte[] {0, 0, 0, '0', '1', '2', '3', 0}, into);
    }

    @Test
    void aMessageThatDoesNotFitIsRefusedWithTheMessageAndThePipeStillWorks() throws Exception
    {
        final Pipe pipe = Pipe.create();
        final byte[] data = {1, 2, 3, 4, 5};
        pipe.conn1().sendBytes(data);
        final BufferTooShort tooShort = assertThrows(BufferTooShort.class,
            () -> pipe.conn2().recvBytesInto(new byte[6], 2));
        assertArrayEquals(data, tooShort.received(), "the message is not lost");
        pipe.conn1().sendBytes(data);
        assertArrayEquals(data, assertThrows(BufferTooShort.class, () -> pipe.conn2().recvBytes(4)).received());
        pipe.conn1().sendBytes(data, 1, 1);
        assertArrayEquals(new byte[] {2}, pipe.conn2().recvBytes(1));
    }

    @Test
    void badOffsetsAndSizesAreRefusedBeforeAnythingIsSent()
    {
        final Pipe pipe = Pipe.create();
        final byte[] data = new byte[4];
        assertThrows(IllegalArgumentException.class, () -> pipe.conn1().sendBytes(data, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> pipe.conn1().sendBytes(data, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> pipe.conn1().sendBytes(data, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> pipe.conn1().sendBytes(data, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> pipe.conn2().recvBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> pipe.conn2().recvBytesInto(data, 5));
        assertFalse(pipe.conn2().poll(), "nothing was sent");
    }

    @Test
    void oneWayPipeAsPython()
    {
        final Pipe pipe = Pipe.create(false);
        assertTrue(pipe.conn1().readable());
        assertFalse(pipe.conn1().writable());
        assertFalse(pipe.conn2().readable());
        assertTrue(pipe.conn2().writable());
        final IllegalStateException readOnly = assertThrows(IllegalStateException.class, () -> pipe.conn1().send(1));
        assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
        assertThrows(IllegalStateException.class, () -> pipe.conn2().recv());
    }

    @Test
    void pollWaitsUpToItsTimeout() throws Exception
    {
        final Pipe pipe = Pipe.create();
        final long began = System.nanoTime();
        assertFalse(pipe.conn2().poll(50));
        final long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(tookMs >= 49 && tookMs < 2_000, "poll(50) took " + tookMs + " ms");
        final Thread later = new Thread(() ->
        {
            try
            {
                Thread.sleep(20);
                pipe.conn1().send("late");
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        later.start();
        assertTrue(pipe.conn2().poll(10_000));
        assertEquals("late", pipe.conn2().recv());
        later.join();
    }

    @Test
    void closingOneEndGivesEofAfterWhatWasSentAndBrokenPipeToSenders() throws Exception
    {
        final Pipe pipe = Pipe.create();
        pipe.conn1().send("last words");
        pipe.conn1().close();
        assertTrue(pipe.conn1().closed());
        assertEquals("last words", pipe.conn2().recv());
        assertTrue(pipe.conn2().poll(1_000), "poll is true at EOF, as Python's");
        final EOFException eof = assertThrows(EOFException.class, () -> pipe.conn2().recv());
        assertTrue(eof.getMessage().contains("other end is closed"), eof.getMessage());
        assertThrows(BrokenPipeException.class, () -> pipe.conn2().send(1));
        final IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pipe.conn1().recv());
        assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
        pipe.conn1().close(); // idempotent
    }

    @Test
    void aValueThatCannotBeEncodedIsRefusedAndThePipeStillWorks() throws Exception
    {
        final Pipe pipe = Pipe.create();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> pipe.conn1().send(new Object()));
        assertTrue(ex.getMessage().contains("java.lang.Object"), ex.getMessage());
        pipe.conn1().send(Arrays.asList(1, 2));
        assertEquals(List.of(1, 2), pipe.conn2().recv());
    }
}
