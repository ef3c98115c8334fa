package mp4j.managers;

import mp4j.codec.ValueCodec;
import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.synchronize.SynchronizeDescriber;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static mp4j.managers.ContainerLayout.*;
import static mp4j.managers.ManagerLayout.*;

/**
 * The inspector's view of a manager: its state, blocks, lock, and each container's size with its first keys and
 * values. It reads without the lock (an inspector changes nothing), so a container being updated at that moment
 * may show an error for this look; it maps the blocks read-only and never deserializes anything: a value stored
 * through Java serialization shows as its class name ({@link #preview}). The fields are those of
 * {@code docs/inspect-json.md}; {@code scripts/inspect.py} prints the same.
 */
public final class ManagerDescriber
{
    /** Containers listed, and keys or elements shown for each. */
    public static final int CONTAINERS_SHOWN = 64;
    public static final int FIRST = 8;

    private ManagerDescriber()
    {
    }

    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        final Store store = Store.reader(session, entry);
        try
        {
            final int state = store.header.getIntVolatile(STATE_OFFSET);
            out.put("state", state == OPEN ? "open" : state == CLOSED ? "shut down" : "unknown " + state);
            out.put("segments", store.segmentCount());
            out.put("segmentBytes", store.totalSegmentBytes());
            out.put("bytesInUse", store.header.getLongVolatile(BYTES_IN_USE_OFFSET));
            out.put("commits", store.header.getLongVolatile(COMMITS_OFFSET));
            out.put("rollbacks", store.header.getIntVolatile(ROLLBACKS_OFFSET));
            out.put("lock", SynchronizeDescriber.lock(session, entry.offset() + LOCK_OFFSET));
            final int serverSlot = store.header.getIntVolatile(SERVER_SLOT_OFFSET) - 1;
            if (serverSlot >= 0 && serverSlot < session.processTable().slotCount())
            {
                out.put("serverPid", session.processTable().pid(serverSlot));
                out.put("serverAlive", session.processTable().generation(serverSlot) ==
                    store.header.getInt(SERVER_GENERATION_OFFSET) && session.processTable().isAlive(serverSlot));
            }
            final int containers = Math.max(0, store.header.getIntVolatile(CONTAINERS_OFFSET));
            out.put("containerCount", containers);
            if (state != OPEN)
            {
                return; // its blocks are gone
            }
            final List<Map<String, Object>> rows = new ArrayList<>();
            for (int id = 0; id < Math.min(containers, CONTAINERS_SHOWN); id++)
            {
                rows.add(container(store, id));
            }
            out.put("containers", rows);
        }
        finally
        {
            store.unmapAll();
        }
    }

    private static Map<String, Object> container(final Store store, final int id)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        try
        {
            final long registry = store.header.getLongVolatile(REGISTRY_OFFSET);
            final long at = registry + REGISTRY_ROWS_OFFSET + (long)id * REGISTRY_ROW;
            final int kind = store.getInt(at, ROW_KIND_FIELD);
            final long table = store.getLong(at, ROW_TABLE_FIELD);
            row.put("kind", kindName(kind));
            final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(256);
            if (kind == LIST)
            {
                final int size = ListTable.size(store, table);
                row.put("size", size);
                final List<Object> values = new ArrayList<>();
                for (int i = 0; i < Math.min(size, FIRST); i++)
                {
                    final int length = Records.copyValue(store, ListTable.record(store, table, i), bytes, 0);
                    values.add(preview(bytes, 0, length));
                }
                row.put("values", values);
                return row;
            }
            final int used = DictTable.used(store, table);
            row.put("size", DictTable.live(store, table));
            final List<Object> keys = new ArrayList<>();
            final List<Object> values = new ArrayList<>();
            for (int entry = 0; entry < used && keys.size() < FIRST; entry++)
            {
                final long record = DictTable.record(store, table, entry);
                if (record != 0)
                {
                    final long lengths = Records.copyRecord(store, record, bytes, 0);
                    final int keyLength = (int)(lengths >>> 32);
                    keys.add(preview(bytes, 0, keyLength));
                    values.add(preview(bytes, keyLength, (int)lengths));
                }
            }
            row.put("keys", keys);
            row.put("values", values);
        }
        catch (final RuntimeException ex)
        {
            row.put("error", "changing while read (" + ex.getMessage() + "); look again");
        }
        return row;
    }

    /**
     * What an encoded value looks like in the inspector, without deserializing it: strings, numbers, booleans
     * and null as themselves, lists and arrays as lists of their first {@link #FIRST} items, a byte[] as
     * {@code "bytes[n]"}, a serialized object as {@code "<class name>"}.
     */
    public static Object preview(final DirectBuffer in, final int offset, final int length)
    {
        try
        {
            final Object[] result = new Object[1];
            final int end = preview(in, offset, offset + length, result, 0);
            return end == offset + length ? result[0] : "<corrupt>";
        }
        catch (final RuntimeException ex)
        {
            return "<corrupt>";
        }
    }

    private static int preview(final DirectBuffer in, final int at, final int limit, final Object[] out,
        final int depth)
    {
        if (at >= limit || depth > 8)
        {
            throw new IllegalArgumentException("truncated");
        }
        final byte tag = in.getByte(at);
        final int body = at + 1;
        switch (tag)
        {
            case ValueCodec.NULL -> out[0] = null;
            case ValueCodec.BOOLEAN -> out[0] = in.getByte(body) != 0;
            case ValueCodec.BYTE -> out[0] = (long)in.getByte(body);
            case ValueCodec.SHORT -> out[0] = (long)in.getShort(body);
            case ValueCodec.CHAR -> out[0] = String.valueOf(in.getChar(body));
            case ValueCodec.INT -> out[0] = (long)in.getInt(body);
            case ValueCodec.LONG -> out[0] = in.getLong(body);
            case ValueCodec.FLOAT -> out[0] = (double)in.getFloat(body);
            case ValueCodec.DOUBLE -> out[0] = in.getDouble(body);
            case ValueCodec.STRING ->
            {
                final int n = count(in, body, limit, 1);
                final byte[] bytes = new byte[n];
                in.getBytes(body + 4, bytes);
                out[0] = new String(bytes, StandardCharsets.UTF_8);
                return body + 4 + n;
            }
            case ValueCodec.BYTES, ValueCodec.SERIALIZED ->
            {
                final int n = count(in, body, limit, 1);
                if (tag == ValueCodec.BYTES)
                {
                    out[0] = "bytes[" + n + "]";
                }
                else
                {
                    final String proxy = proxy(in, body + 4, n);
                    out[0] = proxy != null ? proxy : "<" + serializedClass(in, body + 4, n) + ">";
                }
                return body + 4 + n;
            }
            case ValueCodec.INT_ARRAY, ValueCodec.LONG_ARRAY, ValueCodec.DOUBLE_ARRAY, ValueCodec.FLOAT_ARRAY,
                ValueCodec.SHORT_ARRAY, ValueCodec.CHAR_ARRAY, ValueCodec.BOOLEAN_ARRAY ->
            {
                final int size = switch (tag)
                {
                    case ValueCodec.LONG_ARRAY, ValueCodec.DOUBLE_ARRAY -> 8;
                    case ValueCodec.INT_ARRAY, ValueCodec.FLOAT_ARRAY -> 4;
                    case ValueCodec.SHORT_ARRAY, ValueCodec.CHAR_ARRAY -> 2;
                    default -> 1;
                };
                final int n = count(in, body, limit, size);
                final List<Object> items = new ArrayList<>();
                for (int i = 0; i < Math.min(n, FIRST); i++)
                {
                    final int p = body + 4 + i * size;
                    items.add(switch (tag)
                    {
                        case ValueCodec.LONG_ARRAY -> in.getLong(p);
                        case ValueCodec.DOUBLE_ARRAY -> in.getDouble(p);
                        case ValueCodec.INT_ARRAY -> (long)in.getInt(p);
                        case ValueCodec.FLOAT_ARRAY -> (double)in.getFloat(p);
                        case ValueCodec.SHORT_ARRAY -> (long)in.getShort(p);
                        case ValueCodec.CHAR_ARRAY -> String.valueOf(in.getChar(p));
                        default -> in.getByte(p) != 0;
                    });
                }
                out[0] = items;
                return body + 4 + n * size;
            }
            case ValueCodec.LIST, ValueCodec.OBJECT_ARRAY ->
            {
                final int n = count(in, body, limit, 1);
                final List<Object> items = new ArrayList<>();
                int p = body + 4;
                for (int i = 0; i < n; i++)
                {
                    final Object[] item = new Object[1];
                    p = preview(in, p, limit, item, depth + 1);
                    if (i < FIRST)
                    {
                        items.add(item[0]);
                    }
                }
                out[0] = items;
                return p;
            }
            default -> throw new IllegalArgumentException("tag " + tag);
        }
        return body + switch (tag)
        {
            case ValueCodec.NULL -> 0;
            case ValueCodec.BOOLEAN, ValueCodec.BYTE -> 1;
            case ValueCodec.SHORT, ValueCodec.CHAR -> 2;
            case ValueCodec.INT, ValueCodec.FLOAT -> 4;
            default -> 8;
        };
    }

    private static int count(final DirectBuffer in, final int at, final int limit, final int size)
    {
        final int n = in.getInt(at);
        if (n < 0 || at + 4 + (long)n * size > limit)
        {
            throw new IllegalArgumentException("count " + n);
        }
        return n;
    }

    /**
     * A proxy stored as a value ({@link ProxyRef}, Java-serialized) as {@code "<list #3 of manager 1>"}: the int
     * fields of the record are read from the serialization stream (its primitive fields come first, by name: id,
     * kind, managerIndex), without deserializing. Null when the stream is not a ProxyRef.
     */
    static String proxy(final DirectBuffer in, final int at, final int length)
    {
        if (!"mp4j.managers.ProxyRef".equals(serializedClass(in, at, length)))
        {
            return null;
        }
        final int limit = at + length;
        int p = at + 8 + ((in.getByte(at + 6) & 0xFF) << 8 | (in.getByte(at + 7) & 0xFF)) + 9; // name, suid, flags
        final int fields = u16(in, p, limit);
        p += 2;
        final java.util.List<String> ints = new ArrayList<>();
        for (int f = 0; f < fields; f++)
        {
            final char type = (char)(in.getByte(p) & 0xFF);
            final int nameLength = u16(in, p + 1, limit);
            final byte[] name = new byte[nameLength];
            in.getBytes(p + 3, name);
            p += 3 + nameLength;
            if (type == 'I')
            {
                ints.add(new String(name, StandardCharsets.UTF_8));
            }
            else if (type == 'L' || type == '[')
            {
                p += (in.getByte(p) & 0xFF) == 0x74 ? 3 + u16(in, p + 1, limit) : 5; // TC_STRING or TC_REFERENCE
            }
            else
            {
                return null;
            }
        }
        p += 2; // TC_ENDBLOCKDATA, TC_NULL (a record has no serializable superclass)
        final Map<String, Integer> values = new LinkedHashMap<>();
        for (final String name : ints)
        {
            if (p + 4 > limit)
            {
                return null;
            }
            values.put(name, Integer.reverseBytes(in.getInt(p)));
            p += 4;
        }
        final Integer id = values.get("id");
        final Integer kind = values.get("kind");
        final Integer manager = values.get("managerIndex");
        return id == null || kind == null || manager == null ? null :
            "<" + kindName(kind) + " #" + id + " of manager " + manager + ">";
    }

    private static int u16(final DirectBuffer in, final int at, final int limit)
    {
        if (at + 2 > limit)
        {
            throw new IllegalArgumentException("truncated");
        }
        return (in.getByte(at) & 0xFF) << 8 | (in.getByte(at + 1) & 0xFF);
    }

    /**
     * The class named at the start of a Java serialization stream ({@code AC ED 00 05}, then TC_OBJECT or TC_ENUM
     * and TC_CLASSDESC with the class name), or "serialized" when the stream starts otherwise.
     */
    static String serializedClass(final DirectBuffer in, final int at, final int length)
    {
        if (length < 9 || (in.getByte(at) & 0xFF) != 0xAC || (in.getByte(at + 1) & 0xFF) != 0xED)
        {
            return "serialized";
        }
        final int type = in.getByte(at + 4) & 0xFF;
        final int descriptor = in.getByte(at + 5) & 0xFF;
        if ((type != 0x73 && type != 0x7E) || descriptor != 0x72)
        {
            return "serialized";
        }
        final int n = ((in.getByte(at + 6) & 0xFF) << 8) | (in.getByte(at + 7) & 0xFF);
        if (8 + n > length)
        {
            return "serialized";
        }
        final byte[] name = new byte[n];
        in.getBytes(at + 8, name);
        return new String(name, StandardCharsets.UTF_8);
    }
}
