package mp4j.session;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The kind codes are in every session file ever written: a renumbered or reused code misreads old files. */
class ObjectKindTest
{
    @Test
    void codesNeverChange()
    {
        final Map<String, Integer> expected = new LinkedHashMap<>();
        final String[] names = {"EMPTY", "VALUE", "ARRAY", "LOCK", "RLOCK", "SEMAPHORE", "BOUNDED_SEMAPHORE", "EVENT",
            "CONDITION", "BARRIER", "QUEUE", "SIMPLE_QUEUE", "JOINABLE_QUEUE", "PIPE", "POOL"};
        for (int code = 0; code < names.length; code++)
        {
            expected.put(names[code], code);
        }
        expected.put("SHARED_MEMORY", 17);
        expected.put("MANAGER", 18);
        final Map<String, Integer> actual = new LinkedHashMap<>();
        for (final ObjectKind kind : ObjectKind.values())
        {
            actual.put(kind.name(), kind.code());
            assertEquals(kind, ObjectKind.fromCode(kind.code()));
        }
        assertEquals(expected, actual);
    }

    @Test
    void retiredCodesReadAsUnknown()
    {
        assertNull(ObjectKind.fromCode(15), "15 was RING, never written");
        assertNull(ObjectKind.fromCode(16), "16 was BLOCK, never written");
        assertNull(ObjectKind.fromCode(19));
        assertNull(ObjectKind.fromCode(-1));
    }
}
