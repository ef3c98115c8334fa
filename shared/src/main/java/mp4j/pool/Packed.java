package mp4j.pool;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A chunk of items or results as it crosses the rings: an int[], long[] or double[] when every value is an Integer,
 * Long or Double (the common case of a numeric map: 4 or 8 bytes a value, no object per value on the way or
 * while the map's results wait for each other), else an Object[].
 * <p>
 * Results are kept packed until the caller reads them: a map of two million Integers then holds two million ints,
 * not two million objects that every young collection of the caller's JVM would have to copy.
 */
final class Packed
{
    private Packed()
    {
    }

    static Object pack(final Object[] values)
    {
        if (values.length == 0)
        {
            return values;
        }
        final Class<?> type = values[0] == null ? null : values[0].getClass();
        if (type != Integer.class && type != Long.class && type != Double.class)
        {
            return values;
        }
        for (final Object value : values)
        {
            if (value == null || value.getClass() != type)
            {
                return values;
            }
        }
        if (type == Integer.class)
        {
            final int[] ints = new int[values.length];
            for (int i = 0; i < ints.length; i++)
            {
                ints[i] = (Integer)values[i];
            }
            return ints;
        }
        if (type == Long.class)
        {
            final long[] longs = new long[values.length];
            for (int i = 0; i < longs.length; i++)
            {
                longs[i] = (Long)values[i];
            }
            return longs;
        }
        final double[] doubles = new double[values.length];
        for (int i = 0; i < doubles.length; i++)
        {
            doubles[i] = (Double)values[i];
        }
        return doubles;
    }

    static int length(final Object packed)
    {
        if (packed instanceof int[] ints)
        {
            return ints.length;
        }
        if (packed instanceof long[] longs)
        {
            return longs.length;
        }
        if (packed instanceof double[] doubles)
        {
            return doubles.length;
        }
        return ((Object[])packed).length;
    }

    static Object get(final Object packed, final int index)
    {
        if (packed instanceof int[] ints)
        {
            return ints[index];
        }
        if (packed instanceof long[] longs)
        {
            return longs[index];
        }
        if (packed instanceof double[] doubles)
        {
            return doubles[index];
        }
        return ((Object[])packed)[index];
    }

    /** The results of a map as one read-only list over its chunks, each packed; values are boxed as they are read. */
    static final class ChunkedList<R> extends AbstractList<R> implements RandomAccess
    {
        private final Object[] chunks;
        private final int chunkSize;
        private final int size;

        ChunkedList(final Object[] chunks, final int chunkSize, final int size)
        {
            this.chunks = chunks;
            this.chunkSize = chunkSize;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R get(final int index)
        {
            if (index < 0 || index >= size)
            {
                throw new IndexOutOfBoundsException("index " + index + " of a map's " + size + " results");
            }
            return (R)Packed.get(chunks[index / chunkSize], index % chunkSize);
        }

        @Override
        public int size()
        {
            return size;
        }
    }

    static <R> List<R> list(final Object[] chunks, final int chunkSize, final int size)
    {
        return new ChunkedList<>(chunks, chunkSize, size);
    }
}
