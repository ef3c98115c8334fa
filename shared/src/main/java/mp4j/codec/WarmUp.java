package mp4j.codec;

import org.agrona.ExpandableArrayBuffer;

import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

/**
 * A fresh JVM takes tens of milliseconds to read its first serialized lambda (class loading, the lambda
 * bootstrap, ObjectInputStream's caches). A worker pays that while it has nothing else to do (a reserve waiting
 * to be adopted, a pool worker before it says it is ready) rather than in its first task.
 */
public final class WarmUp
{
    private WarmUp()
    {
    }

    public static void serialization()
    {
        final ValueCodec codec = new ValueCodec();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final Function<Integer, Integer> lambda = (Function<Integer, Integer> & Serializable)x -> x + 1;
        for (final Object value : new Object[]{lambda, new Object[]{1, 2L, "three", 4.0}, List.of(1, 2)})
        {
            codec.decode(buffer, 0, codec.encode(value, buffer, 0));
        }
    }
}
