package mp4j.managers;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import static mp4j.managers.ContainerLayout.*;

/** Records ({@link ContainerLayout}): a key and a value, encoded, written once into a new block. Lock held. */
final class Records
{
    private Records()
    {
    }

    /** A new record; undoable (it is reachable only once a table refers to it). */
    static long write(
        final Store store, final DirectBuffer key, final int keyLength, final DirectBuffer value, final int valueLength)
    {
        final long record = store.allocate((long)RECORD_DATA_OFFSET + keyLength + valueLength, RECORD);
        final AtomicBuffer view = store.view(record);
        final int at = (int)record;
        view.putInt(at + RECORD_KEY_LENGTH_OFFSET, keyLength);
        view.putInt(at + RECORD_VALUE_LENGTH_OFFSET, valueLength);
        if (keyLength > 0)
        {
            view.putBytes(at + RECORD_DATA_OFFSET, key, 0, keyLength);
        }
        view.putBytes(at + RECORD_DATA_OFFSET + keyLength, value, 0, valueLength);
        return record;
    }

    static boolean keyEquals(final Store store, final long record, final DirectBuffer key, final int keyLength)
    {
        final AtomicBuffer view = store.view(record);
        final int at = (int)record;
        return view.getInt(at + RECORD_KEY_LENGTH_OFFSET) == keyLength &&
            Scratch.sameBytes(view, at + RECORD_DATA_OFFSET, key, 0, keyLength);
    }

    /** Copies the record's value to {@code to} at {@code offset}; returns its length. */
    static int copyValue(final Store store, final long record, final MutableDirectBuffer to, final int offset)
    {
        final AtomicBuffer view = store.view(record);
        final int at = (int)record;
        final int keyLength = view.getInt(at + RECORD_KEY_LENGTH_OFFSET);
        final int valueLength = view.getInt(at + RECORD_VALUE_LENGTH_OFFSET);
        checkLengths(store, keyLength, valueLength);
        to.putBytes(offset, view, at + RECORD_DATA_OFFSET + keyLength, valueLength);
        return valueLength;
    }

    /** Copies key then value to {@code to} at {@code offset}; returns keyLength &lt;&lt; 32 | valueLength. */
    static long copyRecord(final Store store, final long record, final MutableDirectBuffer to, final int offset)
    {
        final AtomicBuffer view = store.view(record);
        final int at = (int)record;
        final int keyLength = view.getInt(at + RECORD_KEY_LENGTH_OFFSET);
        final int valueLength = view.getInt(at + RECORD_VALUE_LENGTH_OFFSET);
        checkLengths(store, keyLength, valueLength);
        to.putBytes(offset, view, at + RECORD_DATA_OFFSET, keyLength + valueLength);
        return ((long)keyLength << 32) | valueLength;
    }

    private static void checkLengths(final Store store, final int keyLength, final int valueLength)
    {
        if (keyLength < 0 || valueLength < 0 || (long)keyLength + valueLength > MAX_BLOCK)
        {
            throw new IllegalStateException("manager '" + store.name + "' is corrupt: a record of " + keyLength +
                " + " + valueLength + " bytes");
        }
    }
}
