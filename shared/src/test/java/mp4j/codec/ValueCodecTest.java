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
}
