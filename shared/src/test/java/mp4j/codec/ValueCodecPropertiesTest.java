package mp4j.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The value encoding: every supported value round-trips; no byte string makes the decoder do worse than refuse. */
class ValueCodecPropertiesTest
{
    private final ValueCodec codec = new ValueCodec();

    @Provide
    Arbitrary<Object> values()
    {
        final Arbitrary<Object> scalars = Arbitraries.oneOf(
            Arbitraries.integers().map(i -> (Object)i),
            Arbitraries.longs().map(l -> (Object)l),
            Arbitraries.doubles().map(d -> (Object)d),
            Arbitraries.floats().map(f -> (Object)f),
            Arbitraries.strings().ofMaxLength(50).map(s -> (Object)s),
            Arbitraries.of(true, false).map(b -> (Object)b),
            Arbitraries.bytes().map(b -> (Object)b),
            Arbitraries.shorts().map(s -> (Object)s),
            Arbitraries.chars().map(c -> (Object)c),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(a -> (Object)a),
            Arbitraries.integers().array(int[].class).ofMaxSize(20).map(a -> (Object)a),
            Arbitraries.longs().array(long[].class).ofMaxSize(20).map(a -> (Object)a),
            Arbitraries.doubles().array(double[].class).ofMaxSize(20).map(a -> (Object)a),
            Arbitraries.just(null),
            Arbitraries.integers().map(i -> (Object)java.time.Duration.ofMillis(i)));
        return Arbitraries.oneOf(scalars,
            scalars.list().ofMaxSize(6).map(l -> (Object)new ArrayList<>(l)),
            scalars.list().ofMaxSize(6).map(l -> (Object)l.toArray()));
    }

    @Property(tries = 500)
    void everySupportedValueRoundTrips(@ForAll("values") final Object value)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = codec.encode(value, buffer, 3);
        final Object decoded = codec.decode(buffer, 3, length);
        assertTrue(deepEquals(value, decoded), () -> value + " came back as " + decoded);
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailCleanly(@ForAll final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        try
        {
            codec.decode(buffer, 0, bytes.length);
        }
        catch (final CodecException expected)
        {
            // refusing is the right answer to garbage
        }
    }

    @Property(tries = 500)
    void truncatedEncodingsFailCleanly(@ForAll("values") final Object value, @ForAll final int cut)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = codec.encode(value, buffer, 0);
        final int shorter = Math.floorMod(cut, length);
        try
        {
            codec.decode(buffer, 0, shorter);
            fail("decoded " + shorter + " of " + length + " bytes of " + value);
        }
        catch (final CodecException expected)
        {
            // truncation detected
        }
    }

    private static boolean deepEquals(final Object a, final Object b)
    {
        if (a instanceof List<?> la && b instanceof List<?> lb)
        {
            if (la.size() != lb.size())
            {
                return false;
            }
            for (int i = 0; i < la.size(); i++)
            {
                if (!deepEquals(la.get(i), lb.get(i)))
                {
                    return false;
                }
            }
            return true;
        }
        return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
    }
}
