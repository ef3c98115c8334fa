package mp4j.sharedctypes;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.synchronize.SynchronizeDescriber;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code launcher inspect} shows for a Value or an Array, read from {@link SynchronizedLayout}: the value or
 * the first {@link #FIRST} elements, which lock guards it, and that lock's state. The fields are those of
 * {@code docs/inspect-json.md}; {@code scripts/inspect.py} prints the same.
 */
public final class SharedCTypesDescriber
{
    /** Elements of an Array shown. */
    public static final int FIRST = 8;

    private SharedCTypesDescriber()
    {
    }

    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (!session.directory().isInBounds(entry) || entry.length() < SynchronizedLayout.HEADER_LENGTH)
        {
            out.put("error", "entry points outside the data area");
            return;
        }
        final AtomicBuffer buffer = session.buffer();
        final int code = entry.typeCode();
        final int size = CTypes.size(code); // throws for a damaged type code: the inspector shows the error
        final int base = (int)entry.offset();
        switch (entry.kind())
        {
            case VALUE -> out.put("value", CTypes.value(buffer, base + SynchronizedLayout.VALUE_OFFSET, code));
            case ARRAY ->
            {
                final long count = entry.count();
                if (count < 0 || SynchronizedLayout.ELEMENTS_OFFSET + count * size > entry.length())
                {
                    out.put("error", "element count " + count + " does not fit its " + entry.length() + " bytes");
                    return;
                }
                out.put("elements", count);
                final List<Object> values = new ArrayList<>();
                for (int i = 0; i < Math.min(count, FIRST); i++)
                {
                    values.add(CTypes.value(buffer, base + SynchronizedLayout.ELEMENTS_OFFSET + i * size, code));
                }
                out.put("values", values);
            }
            default ->
            {
                return;
            }
        }
        out.put("lockKind", switch (entry.flags())
        {
            case SynchronizedLayout.OWN_RLOCK -> "own";
            case SynchronizedLayout.GIVEN_LOCK -> "given";
            default -> "none";
        });
        if (entry.hasLock())
        {
            out.put("lock", SynchronizeDescriber.lock(session, entry.lockOffset()));
        }
    }
}
