package mp4j.codec;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.Serializable;

import static org.junit.jupiter.api.Assertions.*;

class ValueCodecTest
{
    /** Serializable, but in no allowed package: the filter must refuse it. */
    static final class Gadget implements Serializable
    {
        int x = 1;
    }

    @Test
    void classesOutsideTheAllowListAreRefused()
    {
        final ValueCodec codec = new ValueCodec();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = codec.encode(new java.util.concurrent.atomic.AtomicInteger(3), buffer, 0);
        final CodecException refused = assertThrows(CodecException.class, () -> codec.decode(buffer, 0, length));
        assertTrue(refused.getMessage().contains("refused") &&
            refused.getMessage().contains("mp4j.serial.allow"), refused.getMessage());
    }

    @Test
    void allowedPatternsAreHonoured()
    {
        final ValueCodec codec = new ValueCodec(SerialFilter.of("java.util.concurrent.atomic.AtomicInteger"));
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = codec.encode(new java.util.concurrent.atomic.AtomicInteger(3), buffer, 0);
        assertEquals(3, ((java.util.concurrent.atomic.AtomicInteger)codec.decode(buffer, 0, length)).get());
    }

    @Test
    void unserializableValuesFailWithTheirClassName()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new ValueCodec().encode(new Object(), new ExpandableArrayBuffer(), 0));
        assertTrue(ex.getMessage().contains("java.lang.Object") && ex.getMessage().contains("not Serializable"),
            ex.getMessage());
    }

    @Test
    void cyclesAreRefusedNotOverflowed()
    {
        final java.util.List<Object> list = new java.util.ArrayList<>();
        list.add(list);
        assertThrows(IllegalArgumentException.class,
            () -> new ValueCodec().encode(list, new ExpandableArrayBuffer(), 0));
    }

    /** Decodes, while it is being read back, another value with the codec that is reading it. */
    static final class DecodesWhileRead implements Serializable
    {
        static ValueCodec codec;
        static byte[] inner;
        transient Object innerValue;

        private void readObject(final java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException
        {
            in.defaultReadObject();
            innerValue = codec.decode(new org.agrona.concurrent.UnsafeBuffer(inner), 0, inner.length);
        }
    }

    @Test
    void aDecodeInsideADecodeOfTheSameCodecReadsBothValues()
    {
        final ValueCodec codec = new ValueCodec(SerialFilter.of(DecodesWhileRead.class.getName()));
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer();
        final int innerLength = codec.encode(java.util.List.of("inner", 7L), scratch, 0);
        DecodesWhileRead.codec = codec;
        DecodesWhileRead.inner = java.util.Arrays.copyOf(scratch.byteArray(), innerLength);
        final ExpandableArrayBuffer outer = new ExpandableArrayBuffer();
        final int length = codec.encode(java.util.List.of(1, new DecodesWhileRead(), "after"), outer, 0);
        final java.util.List<?> decoded = (java.util.List<?>)codec.decode(outer, 0, length);
        assertEquals(1, decoded.get(0));
        assertEquals(java.util.List.of("inner", 7L), ((DecodesWhileRead)decoded.get(1)).innerValue);
        assertEquals("after", decoded.get(2), "the outer decode went on where it was");
    }

    @Test
    void aFailedDecodeLeavesTheCodecReadyForTheNext()
    {
        final ValueCodec codec = new ValueCodec();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = codec.encode("a string", buffer, 0);
        assertThrows(CodecException.class, () -> codec.decode(buffer, 0, length - 1));
        assertThrows(CodecException.class, () -> codec.decode(buffer, 0, length + 1));
        assertEquals("a string", codec.decode(buffer, 0, length));
    }

    @Test
    void oneCodecDecodesForSeveralThreadsAtOnce() throws Exception
    {
        final ValueCodec codec = new ValueCodec();
        final int threads = 4;
        final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        final java.util.List<java.util.concurrent.Future<Integer>> wrong = new java.util.ArrayList<>();
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try
        {
            for (int t = 0; t < threads; t++)
            {
                final int id = t;
                wrong.add(pool.submit(() ->
                {
                    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
                    final ValueCodec encoder = new ValueCodec(); // encoding may use a codec's scratch: one each
                    start.await();
                    int mismatches = 0;
                    for (int i = 0; i < 20_000; i++)
                    {
                        final Object value = java.util.List.of(id, "value " + i, new long[] {i, id});
                        final int length = encoder.encode(value, buffer, 0);
                        final java.util.List<?> back = (java.util.List<?>)codec.decode(buffer, 0, length);
                        if (!back.get(0).equals(id) || !back.get(1).equals("value " + i) ||
                            !java.util.Arrays.equals((long[])back.get(2), new long[] {i, id}))
                        {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (final java.util.concurrent.Future<Integer> mismatches : wrong)
            {
                assertEquals(0, mismatches.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
