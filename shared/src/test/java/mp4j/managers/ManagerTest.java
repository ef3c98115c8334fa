package mp4j.managers;

import mp4j.session.TempSession;
import mp4j.sharedmemory.SharedMemoryNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A manager's containers in one process, with Python's manager tests (CPython's {@code _TestContainers}) as the
 * checklist for what they do; the same across processes is in the worker module's {@code ManagerProcessTest}.
 */
class ManagerTest
{
    @RegisterExtension
    final TempSession temp = new TempSession();

    private final List<Manager> managers = new ArrayList<>();

    private Manager manager()
    {
        final Manager manager = new Manager(temp.session());
        managers.add(manager);
        return manager;
    }

    @AfterEach
    void closeManagers()
    {
        Store.failAfterWrites = 0;
        managers.forEach(Manager::close); // removes their blocks from /dev/shm
    }

    private static void assertWhole(final Manager manager)
    {
        final ManagerCheck check = manager.check();
        assertTrue(check.ok(), check.toString());
    }

    @Test
    void dictAsPythonsTestDict()
    {
        final SharedDict<Integer, String> d = manager().dict();
        final Map<Integer, String> expected = new LinkedHashMap<>();
        for (int i = 65; i < 70; i++)
        {
            d.put(i, String.valueOf((char)i));
            expected.put(i, String.valueOf((char)i));
        }
        assertEquals(expected, d.copy());
        assertEquals(List.of(65, 66, 67, 68, 69), new ArrayList<>(d.keySet())); // insertion order, as Python's
        assertEquals(List.of("A", "B", "C", "D", "E"), new ArrayList<>(d.values()));
        assertEquals(expected, d);
        assertEquals(expected.hashCode(), d.hashCode());
        assertEquals(5, d.size());
        assertEquals("A", d.remove(65));
        assertNull(d.remove(65));
        assertFalse(d.containsKey(65));
        assertTrue(d.containsKey(66));
        assertEquals("{66=B, 67=C, 68=D, 69=E}", d.toString());
    }

    @Test
    void concurrentMapOperations()
    {
        final SharedDict<String, Integer> d = manager().dict();
        assertNull(d.putIfAbsent("a", 1));
        assertEquals(1, d.putIfAbsent("a", 2));
        assertEquals(11, d.merge("a", 10, Integer::sum));
        assertEquals(11, d.get("a"));
        assertEquals(5, d.merge("b", 5, Integer::sum));
        assertNull(d.merge("b", 0, (x, y) -> null));
        assertFalse(d.containsKey("b"));
        assertEquals(12, d.compute("a", (k, v) -> v + 1));
        assertEquals(7, d.computeIfAbsent("c", k -> 7));
        assertEquals(7, d.computeIfAbsent("c", k -> 8));
        assertNull(d.computeIfPresent("nope", (k, v) -> 1));
        assertEquals(14, d.computeIfPresent("c", (k, v) -> v * 2));
        assertTrue(d.replace("c", 14, 15));
        assertFalse(d.replace("c", 14, 16));
        assertEquals(15, d.replace("c", 20));
        assertNull(d.replace("nope", 1));
        assertFalse(d.remove("c", 21));
        assertTrue(d.remove("c", 20));
        assertEquals(Map.of("a", 12), d);
        assertEquals(12, d.getOrDefault("a", 0));
        assertEquals(0, d.getOrDefault("z", 0));
        d.replaceAll((k, v) -> v * 100);
        assertEquals(1200, d.get("a"));
        assertThrows(NullPointerException.class, () -> d.put(null, 1));
        assertThrows(NullPointerException.class, () -> d.put("x", null));
        assertWhole(managers.get(0));
    }

    @Test
    void aFunctionThatUsesTheSameManagerFailsAndChangesNothing()
    {
        final Manager manager = manager();
        final SharedDict<String, Integer> d = manager.dict();
        final SharedList<Integer> l = manager.list();
        d.put("a", 1);
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> d.compute("a", (k, v) -> v + l.size()));
        assertTrue(ex.getMessage().contains("not reentrant"), ex.getMessage());
        assertEquals(1, d.get("a"));
        assertEquals(0, l.size());
        final SharedDict<String, Integer> other = manager().dict();
        other.put("x", 5);
        assertEquals(6, d.compute("a", (k, v) -> v + other.get("x")), "another manager may be used");
    }

    @Test
    void threadsOfOneProcessCountExactly() throws Exception
    {
        final Manager manager = manager();
        final SharedDict<String, Integer> d = manager.dict();
        final SharedList<Integer> l = manager.list();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++)
        {
            final int me = t;
            threads.add(new Thread(() ->
            {
                for (int i = 0; i < 5_000; i++)
                {
                    d.merge("n", 1, Integer::sum);
                    d.put("t" + me, i);
                    l.add(me);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(20_000, d.get("n"));
        assertEquals(20_000, l.size());
        assertEquals(4_999, d.get("t3"));
        assertWhole(manager);
    }

    @Test
    void iteratorsWriteThrough()
    {
        final SharedDict<String, Integer> d = manager().dict(Map.of("a", 1, "b", 2, "c", 3));
        final var it = d.entrySet().iterator();
        while (it.hasNext())
        {
            final var e = it.next();
            if (e.getKey().equals("a"))
            {
                it.remove();
            }
            else
            {
                e.setValue(e.getValue() * 10);
            }
        }
        assertEquals(Map.of("b", 20, "c", 30), d);
        d.keySet().remove("b");
        assertEquals(Map.of("c", 30), d);
        d.values().clear();
        assertTrue(d.isEmpty());
    }

    @Test
    void growsToManyKeysAndShrinksBack()
    {
        final Manager manager = manager();
        final SharedDict<String, Long> d = manager.dict();
        final int n = 60_000;
        for (int i = 0; i < n; i++)
        {
            d.set("key" + i, (long)i);
        }
        assertEquals(n, d.size());
        for (int i = 0; i < n; i += 997)
        {
            assertEquals((long)i, d.get("key" + i));
        }
        assertWhole(manager);
        final long full = manager.bytesInUse();
        for (int i = 0; i < n; i += 2)
        {
            assertEquals((long)i, d.remove("key" + i));
        }
        assertEquals(n / 2, d.size());
        assertNull(d.get("key0"));
        assertEquals(1L, d.get("key1"));
        assertTrue(manager.bytesInUse() < full, "removed records are given back");
        assertWhole(manager);
        d.clear();
        assertEquals(0, d.size());
        assertWhole(manager);
        final ManagerCheck check = manager.check();
        assertEquals(2, check.reachable(), "the registry and one empty table: " + check);
    }

    @Test
    void valuesOfAnySizeAndTheirSpaceIsReused()
    {
        final Manager manager = manager();
        final SharedDict<String, Object> d = manager.dict();
        final byte[] big = new byte[10 << 20];
        big[big.length - 1] = 42;
        d.put("big", big);
        assertArrayEquals(big, (byte[])d.get("big"));
        d.put("big", big); // a new record is written before the old one is freed: room for two, once
        final long segments = manager.segmentBytes();
        for (int i = 0; i < 5; i++)
        {
            d.put("big", big); // replaces: the old record's block is free and taken again
        }
        assertEquals(segments, manager.segmentBytes(), "replacing a value must not grow the manager");
        d.put("list", List.of(1, "two", 3.0));
        assertEquals(List.of(1, "two", 3.0), d.get("list"));
        d.put("array", new int[] {1, 2, 3});
        assertArrayEquals(new int[] {1, 2, 3}, (int[])d.get("array"));
        assertWhole(manager);
    }

    @Test
    void listAsPythonsTestList()
    {
        final Manager manager = manager();
        final SharedList<Integer> a = manager.list(range(10));
        assertEquals(range(10), a.copy());
        final SharedList<Integer> b = manager.list();
        assertEquals(List.of(), b.copy());
        b.addAll(range(5));
        assertEquals(range(5), b);
        assertEquals(2, b.get(2));
        assertEquals(List.of(2, 3, 4), b.subList(2, 5));
        b.addAll(b.copy()); // b *= 2
        assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4), b);
        assertEquals(range(10), a);
        b.add(2, 99);
        assertEquals(List.of(0, 1, 99, 2, 3, 4, 0, 1, 2, 3, 4), b);
        assertEquals(99, b.remove(2));
        assertEquals(4, b.pop());
        assertEquals(0, b.pop(0));
        assertEquals(List.of(1, 2, 3, 4, 0, 1, 2, 3), b);
        assertEquals(1, b.set(0, 7));
        assertTrue(b.remove((Object)0));
        assertEquals(List.of(7, 2, 3, 4, 1, 2, 3), b);
        b.sort(null);
        assertEquals(List.of(1, 2, 2, 3, 3, 4, 7), b);
        b.reverse();
        assertEquals(List.of(7, 4, 3, 3, 2, 2, 1), b);
        b.addAll(1, List.of(8, 9));
        assertEquals(List.of(7, 8, 9, 4, 3, 3, 2, 2, 1), b);
        assertEquals(2, b.indexOf(9));
        assertTrue(b.contains(1));
        assertEquals("[7, 8, 9, 4, 3, 3, 2, 2, 1]", b.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(9));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(-1));
        b.clear();
        assertThrows(IndexOutOfBoundsException.class, b::pop);
        assertWhole(manager);
    }

    @Test
    void listIterationSeesChangesMadeMeanwhile()
    {
        final SharedList<Integer> a = manager().list(range(10));
        final var it = a.iterator();
        a.set(0, 100);
        assertEquals(100, it.next()); // as Python's test_list_iter
        final List<Integer> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(range(10).subList(1, 10), rest);
    }

    /** Python's IndexError texts: an empty list says "pop from empty list", any other names the index. */
    @Test
    void listIndexErrorsNameTheIndexOrTheEmptyList()
    {
        final SharedList<Integer> l = manager().list();
        for (final Runnable call : List.<Runnable>of(l::pop, () -> l.remove(0), () -> l.pop(-1)))
        {
            assertEquals("pop from empty list", assertThrows(IndexOutOfBoundsException.class, call::run).getMessage());
        }
        l.addAll(List.of(1, 2, 3));
        for (final Runnable call : List.<Runnable>of(() -> l.remove(-1), () -> l.remove(3), () -> l.pop(3),
            () -> l.get(3), () -> l.set(3, 0)))
        {
            final String message = assertThrows(IndexOutOfBoundsException.class, call::run).getMessage();
            assertTrue(message.matches("index (-1|3) is out of range for a list of 3 .*"), message);
        }
        assertEquals(3, l.pop());
        assertEquals(List.of(1, 2), l);
    }

    @Test
    void keyAndValueIteratorsRemoveTheirEntry()
    {
        final SharedDict<String, Integer> d = manager().dict();
        final Map<String, Integer> entries = new LinkedHashMap<>();
        entries.put("a", 1);
        entries.put("b", 2);
        entries.put("c", 3);
        entries.put("d", 4);
        d.putAll(entries);
        final var keys = d.keySet().iterator();
        assertEquals("a", keys.next());
        keys.remove();
        assertThrows(IllegalStateException.class, keys::remove);
        final var values = d.values().iterator();
        assertEquals(2, values.next());
        assertEquals(3, values.next());
        values.remove();
        assertEquals(Map.of("b", 2, "d", 4), d);
        assertEquals(4, values.next());
        assertFalse(values.hasNext());
        assertThrows(NoSuchElementException.class, values::next);
    }

    @Test
    void namespaceAsPythonsTestNamespace()
    {
        final Namespace n = manager().namespace();
        n.set("name", "Bob");
        n.set("job", "Builder");
        n.set("_hidden", "hidden");
        assertEquals("Bob", n.get("name"));
        assertEquals("Builder", n.get("job"));
        n.delete("job");
        assertEquals("Namespace(name='Bob')", n.toString());
        assertTrue(n.has("name"));
        assertFalse(n.has("job"));
        assertThrows(NoSuchElementException.class, () -> n.get("job"));
        assertThrows(NoSuchElementException.class, () -> n.delete("job"));
        n.set("none", null);
        assertTrue(n.has("none"));
        assertNull(n.get("none"));
        assertEquals(3, n.merge("count", 3, Integer::sum));
        assertEquals(5, n.merge("count", 2, Integer::sum));
        assertEquals(List.of("name", "_hidden", "none", "count"), n.names());
    }

    @Test
    void aShutDownManagerFailsEveryCallAndLeavesNoBlock()
    {
        final Manager manager = manager();
        final SharedDict<String, Integer> d = manager.dict();
        final SharedList<Integer> l = manager.list();
        d.put("a", 1);
        l.add(1);
        final Store store = d.store();
        final List<String> blocks = new ArrayList<>();
        for (int s = 0; s < store.segmentCount(); s++)
        {
            blocks.add(store.segmentName(s));
        }
        assertFalse(blocks.isEmpty());
        manager.close();
        assertTrue(manager.isClosed());
        assertThrows(ManagerClosedException.class, () -> d.get("a"));
        assertThrows(ManagerClosedException.class, () -> d.put("b", 2));
        assertThrows(ManagerClosedException.class, () -> l.add(2));
        assertThrows(ManagerClosedException.class, manager::dict);
        for (final String block : blocks)
        {
            assertFalse(Files.exists(SharedMemoryNames.directory().resolve(block)), block + " is left");
        }
        manager.close(); // again: nothing
    }

    /**
     * Every update, failed at every one of its writes in turn (as a process killed there would leave it), is
     * undone whole: the container holds what it held before, and not one block is lost.
     */
    @Test
    void anUpdateFailedAtAnyWriteIsUndoneWhole()
    {
        final Manager manager = manager();
        final SharedDict<String, Object> d = manager.dict();
        final SharedList<Object> l = manager.list();
        for (int i = 0; i < 20; i++)
        {
            d.put("k" + i, i);
            l.add(i);
        }
        final Runnable clearDict = d::clear;
        final Runnable clearList = l::clear;
        final List<Runnable> updates = List.of(
            () -> d.put("k3", "replaced"),
            () -> d.put("new", "inserted"),
            () -> d.merge("k4", 1, (x, y) -> (Integer)x + (Integer)y),
            () -> d.remove("k5"),
            () -> d.putAll(Map.of("p", 1, "q", 2, "k6", 3)),
            () -> l.add("appended"),
            () -> l.add(3, "inserted"),
            () -> l.remove(4),
            () -> l.set(2, "set"),
            () -> l.addAll(2, List.of("x", "y", "z")),
            () -> l.sort((x, y) -> String.valueOf(y).compareTo(String.valueOf(x))),
            clearDict,
            clearList);
        for (final Runnable update : updates)
        {
            for (int k = 1; ; k++)
            {
                final Map<String, Object> dictBefore = d.copy();
                final List<Object> listBefore = l.copy();
                final long inUse = manager.bytesInUse();
                Store.failAfterWrites = k;
                boolean failed = false;
                try
                {
                    update.run();
                }
                catch (final Store.SimulatedDeath death)
                {
                    failed = true;
                }
                Store.failAfterWrites = 0;
                assertWhole(manager);
                if (!failed)
                {
                    break; // the update has fewer writes than k: it ran whole; the next update
                }
                if (update == (Object)clearDict && d.isEmpty() || update == (Object)clearList && l.isEmpty())
                {
                    continue; // failed after its commit point, while giving back the records: it happened
                }
                assertEquals(dictBefore, d.copy(), "dict after a failure at write " + k);
                assertEquals(listBefore, l.copy(), "list after a failure at write " + k);
                assertEquals(inUse, manager.bytesInUse());
            }
        }
    }

    @Test
    void anUpdateLeftOpenIsUndoneByTheNextCall()
    {
        final Manager manager = manager();
        final SharedDict<String, Integer> d = manager.dict();
        d.put("a", 1);
        final Store store = d.store();
        // what a process killed in the middle of put("a", 2) leaves: rows in the undo log, a new record, a new ref
        store.lock();
        final Scratch s = Scratch.take();
        s.key("a").value(2);
        final long table = store.table(d.id());
        final int found = DictTable.find(store, table, s.key, s.keyLength, s.keyHash);
        DictTable.replace(store, table, DictTable.entryAt(store, table, found),
            Records.write(store, s.key, s.keyLength, s.value, s.valueLength));
        s.release();
        store.unlock(); // the dead never release; the next holder's recovery ends up here as well
        assertEquals(1, d.get("a"));
        assertWhole(manager);
        assertEquals(1, store.header.getInt(ManagerLayout.ROLLBACKS_OFFSET));
    }

    /** CPython's test_rapid_restart: managers made and shut down in a row leave nothing behind. */
    @Test
    void managersMadeAndShutDownInARowLeaveNoBlock()
    {
        final List<String> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            try (Manager manager = new Manager(temp.session()))
            {
                final SharedDict<Integer, Integer> d = manager.dict();
                d.put(i, i);
                assertEquals(i, d.get(i));
                blocks.addAll(manager.blockNames());
            }
        }
        assertEquals(10, blocks.size());
        for (final String block : blocks)
        {
            assertFalse(Files.exists(SharedMemoryNames.directory().resolve(block)), block + " is left");
        }
    }

    @Test
    void aValueTooLargeForABlockIsRefusedAndChangesNothing()
    {
        final Manager manager = manager();
        final SharedDict<String, Object> d = manager.dict();
        d.put("a", 1);
        // not allocated for real: the size check comes first
        final Store store = d.store();
        store.lock();
        try
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> store.allocate(ContainerLayout.MAX_BLOCK + 1, ContainerLayout.RECORD));
            assertTrue(ex.getMessage().contains("holds at most"), ex.getMessage());
            store.abort();
        }
        finally
        {
            store.unlock();
        }
        assertEquals(Map.of("a", 1), d.copy());
        assertWhole(manager);
    }

    private static List<Integer> range(final int n)
    {
        final List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            list.add(i);
        }
        return list;
    }

    @Test
    void copiesAreOrdinaryCollections()
    {
        final SharedDict<String, Integer> d = manager().dict(Map.of("x", 1));
        final Map<String, Integer> copy = d.copy();
        copy.put("y", 2);
        assertEquals(1, d.size());
        assertEquals(new HashMap<>(Map.of("x", 1, "y", 2)), copy);
    }
}
