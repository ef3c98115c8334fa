package mp4j.managers;

import mp4j.codec.ValueCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A thread's buffers for one call: the encoded key, the encoded value, and bytes copied out of the manager under
 * its lock (decoded after it is released). A call made while another is in progress on the same thread (a
 * function passed to {@code compute} using another manager, a value's deserialization attaching a proxy) gets
 * buffers of its own, so nothing is overwritten under the outer call.
 */
final class Scratch
{
    /** Every value crosses with the codec's own rule (the project's one serialization rule). */
    static final ValueCodec CODEC = new ValueCodec();

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    final ExpandableArrayBuffer key = new ExpandableArrayBuffer(64);
    final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
    final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(64);
    int keyLength;
    int keyHash;
    int valueLength;
    private boolean inUse;

    static Scratch take()
    {
        final Scratch local = LOCAL.get();
        if (local.inUse)
        {
            final Scratch nested = new Scratch();
            nested.inUse = true;
            return nested;
        }
        local.inUse = true;
        return local;
    }

    void release()
    {
        inUse = false;
    }

    /** Encodes {@code key} and hashes its bytes: keys are compared by their encoding. */
    Scratch key(final Object key)
    {
        keyLength = CODEC.encode(key, this.key, 0);
        keyHash = hash(this.key, 0, keyLength);
        return this;
    }

    Scratch value(final Object value)
    {
        valueLength = CODEC.encode(value, this.value, 0);
        return this;
    }

    Object decodeCopy(final int length)
    {
        return CODEC.decode(copy, 0, length);
    }

    Object decodeCopy(final int offset, final int length)
    {
        return CODEC.decode(copy, offset, length);
    }

    /** A 32-bit hash of encoded bytes; the same in every process (it depends on the bytes only). */
    static int hash(final DirectBuffer bytes, final int offset, final int length)
    {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            h ^= bytes.getLong(offset + i);
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        long tail = 0;
        for (; i < length; i++)
        {
            tail = (tail << 8) | (bytes.getByte(offset + i) & 0xFF);
        }
        h ^= tail;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int)h;
    }

    static boolean sameBytes(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (a.getLong(aOffset + i) != b.getLong(bOffset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
