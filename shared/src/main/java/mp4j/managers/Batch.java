package mp4j.managers;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Values encoded one after another into one heap buffer, field {@code i} taking {@link #length length(i)} bytes.
 * Both ends of a whole-container call use one, so that the manager's lock is held for byte copies and never for
 * the codec (which may run a value's own serialization code): {@code addAll} and {@code putAll} (Python's
 * {@code extend} and {@code update}) encode their items into a batch before they take the lock, and
 * {@code copy()} and an iteration copy a container's records into one under the lock and decode it after.
 * A list's batch holds a field an element; a dict's two an entry, key then value.
 */
final class Batch
{
    private final ExpandableArrayBuffer bytes;
    /** Field {@code i} is {@code bytes[offsets[i], offsets[i + 1])}. */
    private final int[] offsets;
    private int fields;

    /** An empty batch with room for {@code capacity} fields; the bytes grow as needed. */
    Batch(final int capacity)
    {
        bytes = new ExpandableArrayBuffer((int)Math.min(1 << 20, Math.max(64L, 32L * capacity)));
        offsets = new int[capacity + 1];
    }

    /** How many fields it holds. */
    int fields()
    {
        return fields;
    }

    /** Encodes {@code value} as the next field. */
    void encode(final Object value)
    {
        add(Scratch.CODEC.encode(value, bytes, offsets[fields]));
    }

    /** Copies a record's value in as the next field. Lock held. */
    void copyValue(final Store store, final long record)
    {
        add(Records.copyValue(store, record, bytes, offsets[fields]));
    }

    /**
     * Copies a record's key and value in as the next two fields; the value empty unless {@code withValue}.
     * Lock held.
     */
    void copyRecord(final Store store, final long record, final boolean withValue)
    {
        final long lengths = Records.copyRecord(store, record, bytes, offsets[fields]);
        add((int)(lengths >>> 32));
        add(withValue ? (int)lengths : 0);
    }

    private void add(final int length)
    {
        offsets[fields + 1] = offsets[fields] + length;
        fields++;
    }

    int length(final int field)
    {
        return offsets[field + 1] - offsets[field];
    }

    Object decode(final int field)
    {
        return Scratch.CODEC.decode(bytes, offsets[field], length(field));
    }

    /** Points {@code flyweight} at the field's bytes, from its index 0 (as {@link Records#write} reads them). */
    void wrap(final int field, final UnsafeBuffer flyweight)
    {
        flyweight.wrap(bytes, offsets[field], length(field));
    }
}
