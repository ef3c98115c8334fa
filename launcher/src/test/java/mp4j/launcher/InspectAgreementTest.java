package mp4j.launcher;

import mp4j.codec.ValueCodec;
import mp4j.managers.ContainerLayout;
import mp4j.managers.Manager;
import mp4j.managers.ManagerDescriber;
import mp4j.managers.ManagerLayout;
import mp4j.managers.SharedDict;
import mp4j.pool.Pool;
import mp4j.pool.PoolLayout;
import mp4j.queues.HoldersLayout;
import mp4j.queues.JoinableQueue;
import mp4j.queues.Pipe;
import mp4j.queues.PipeLayout;
import mp4j.queues.Queue;
import mp4j.queues.QueueLayout;
import mp4j.queues.SimpleQueue;
import mp4j.queues.SpillLayout;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.SharedCTypesDescriber;
import mp4j.sharedctypes.SynchronizedLayout;
import mp4j.sharedctypes.Value;
import mp4j.sharedmemory.ShareableListLayout;
import mp4j.sharedmemory.SharedMemoryBlocks;
import mp4j.sharedmemory.SharedMemoryManager;
import mp4j.sharedmemory.SharedMemoryRecordLayout;
import mp4j.synchronize.Barrier;
import mp4j.synchronize.BarrierLayout;
import mp4j.synchronize.BoundedSemaphore;
import mp4j.synchronize.Condition;
import mp4j.synchronize.ConditionLayout;
import mp4j.synchronize.Event;
import mp4j.synchronize.EventLayout;
import mp4j.synchronize.Lock;
import mp4j.synchronize.LockWordLayout;
import mp4j.synchronize.RLock;
import mp4j.synchronize.Semaphore;
import mp4j.synchronize.SemaphoreLayout;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code launcher inspect --json} and {@code scripts/inspect.py --json} print one schema (docs/inspect-json.md):
 * the offsets inspect.py reads are the Java descriptors' constants, and both decode a live session holding one
 * object of every kind to the same JSON, the documented differences aside.
 */
class InspectAgreementTest
{
    /** Every class whose constants inspect.py copies (its LAYOUTS table names them the same way). */
    private static final List<Class<?>> DESCRIPTORS = List.of(SessionLayout.class, LockWordLayout.class,
        SemaphoreLayout.class, EventLayout.class, ConditionLayout.class, BarrierLayout.class,
        SynchronizedLayout.class, QueueLayout.class, PipeLayout.class, SpillLayout.class, HoldersLayout.class,
        PoolLayout.class, RingBufferDescriptor.class, SharedMemoryRecordLayout.class, ShareableListLayout.class,
        SharedMemoryBlocks.class, ManagerLayout.class, ContainerLayout.class, ManagerDescriber.class,
        SharedCTypesDescriber.class, ValueCodec.class);

    @Test
    void inspectPyReadsTheJavaDescriptorsConstants(@TempDir final Path dir) throws Exception
    {
        Assumptions.assumeTrue(InspectPyTest.hasPython(), "python3 is not installed: skipping the inspect.py test");
        final Map<String, Object> classes = new LinkedHashMap<>();
        for (final Class<?> descriptor : DESCRIPTORS)
        {
            classes.put(descriptor.getName(), constants(descriptor));
        }
        final Map<String, Object> kinds = new LinkedHashMap<>();
        for (final ObjectKind kind : ObjectKind.values())
        {
            kinds.put(kind.name(), kind.code());
        }
        final Map<String, Object> java = new LinkedHashMap<>();
        java.put("classes", classes);
        java.put("kinds", kinds);
        final String python = InspectPyTest.run("python3", InspectPyTest.script("inspect.py").toString(), "--layouts");
        assertTrue(python.startsWith("0\n"), python);
        assertSame("layouts", dir, Json.write(java), python.substring(2));
    }

    /** The static final numbers and strings of {@code type}, whatever their visibility, by name. */
    private static Map<String, Object> constants(final Class<?> type) throws IllegalAccessException
    {
        final Map<String, Object> constants = new LinkedHashMap<>();
        for (final Field field : type.getDeclaredFields())
        {
            final int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) &&
                (field.getType().isPrimitive() || field.getType() == String.class))
            {
                field.setAccessible(true);
                constants.put(field.getName(), field.get(null));
            }
        }
        return constants;
    }

    @Test
    void bothInspectorsPrintTheSameJsonForEveryKind(@TempDir final Path dir) throws Exception
    {
        Assumptions.assumeTrue(InspectPyTest.hasPython(), "python3 is not installed: skipping the inspect.py test");
        final Session session = Session.current();
        final Value counter = Value.create(session, "agree-value", 'i', true);
        counter.set(1234);
        Value.create(session, "agree-nan", 'd', false).setDouble(Double.NaN);
        Value.create(session, "agree-char", 'c', false).set('A');
        Value.create(session, "agree-unsigned", 'Q', false).set(-2); // 2^64 - 2
        final Lock lock = Lock.create(session, "agree-lock");
        final Array array = Array.create(session, "agree-array", 'd', 10, lock);
        array.setDouble(1, 2.5);
        Array.create(session, "agree-float", 'f', 3, false).setDouble(0, 0.1);
        final RLock rlock = RLock.create(session, "agree-rlock");
        final Semaphore semaphore = Semaphore.create(session, "agree-semaphore", 3, true);
        BoundedSemaphore.create(session, "agree-bounded", 2, false);
        Event.create(session, "agree-event").set();
        Condition.create(session, "agree-condition", null);
        Condition.create(session, "agree-condition-given", rlock);
        Barrier.create(session, "agree-barrier", 2, null, Duration.ofSeconds(30));
        final Queue spilled = Queue.create(session, "agree-queue", 0, 4096); // holds a few hundred small values
        final SimpleQueue simple = SimpleQueue.create(session, "agree-simple", 4096);
        final JoinableQueue joinable = JoinableQueue.create(session, "agree-joinable", 5, 8192);
        final Pipe pipe = Pipe.create(session, "agree-pipe", true, 4096);
        try (Pool pool = new Pool(2);
             SharedMemoryManager blocks = new SharedMemoryManager();
             Manager manager = new Manager())
        {
            for (int i = 0; i < 2000; i++)
            {
                spilled.put(i);
            }
            simple.put("one");
            joinable.put(1);
            joinable.put(List.of(2, "two"));
            pipe.conn1().send("to end 0");
            pipe.conn2().send(3.5);
            assertEquals(List.of(1, 4, 9), pool.map((Integer x) -> x * x, List.of(1, 2, 3)));
            blocks.sharedMemory(4096);
            blocks.shareableList(List.of(1L, 2.5, "three", true));
            final SharedDict<String, Object> dict = manager.dict();
            dict.put("int", 1);
            dict.put("list", List.of(1, 2.5, "x"));
            manager.list(List.of(10, 20, 30));
            manager.namespace().set("name", "Bob");
            counter.getLock().acquire();
            lock.acquire();
            rlock.acquire();
            rlock.acquire();
            semaphore.acquire();
            try
            {
                // the session is live (a spare worker may be booting, a pool worker turning ready): a state that
                // changes between the two tools' reads is compared again, until two reads agree (a real
                // disagreement never does)
                String difference = null;
                for (int attempt = 0; attempt < 20; attempt++)
                {
                    final Cli java = Cli.run("inspect", session.file().toString(), "--json");
                    assertEquals(0, java.exitCode(), java.err());
                    final String python = InspectPyTest.run("python3",
                        InspectPyTest.script("inspect.py").toString(), "--json", session.file().toString());
                    assertTrue(python.startsWith("0\n"), python);
                    if (attempt == 0)
                    {
                        final Set<String> shown = new TreeSet<>();
                        final Matcher kind = Pattern.compile("\"kind\":\"([A-Z_]+)\"").matcher(java.out());
                        while (kind.find())
                        {
                            shown.add(kind.group(1));
                        }
                        final Set<String> every = new TreeSet<>();
                        for (final ObjectKind k : EnumSet.complementOf(EnumSet.of(ObjectKind.EMPTY)))
                        {
                            every.add(k.name());
                        }
                        assertTrue(shown.containsAll(every), "the session should hold every kind; it has " + shown);
                    }
                    difference = difference("snapshots", dir, java.out(), python.substring(2));
                    if (difference == null)
                    {
                        break;
                    }
                }
                assertNull(difference, "launcher inspect and inspect.py disagree (snapshots), 20 times:\n" +
                    difference);

                final Cli javaHex = Cli.run("inspect", session.file().toString(), "--hex");
                final String pythonHex = InspectPyTest.run("python3", InspectPyTest.script("inspect.py").toString(),
                    "--hex", session.file().toString());
                assertEquals(sections(javaHex.out()), sections(pythonHex), javaHex.out() + "\n" + pythonHex);
                assertTrue(sections(javaHex.out()).stream().anyMatch(s -> s.startsWith("payload areas [" +
                    SessionLayout.payloadOffset(session.processTable().slotCount(), session.directory().capacity()) +
                    ", ")), sections(javaHex.out()).toString());
            }
            finally
            {
                semaphore.release();
                rlock.release();
                rlock.release();
                lock.release();
                counter.getLock().release();
                while (!spilled.empty())
                {
                    spilled.get(); // frees the spill's segment files now, not when the session ends
                }
            }
        }
    }

    /** The sections a --hex output marks ("== name [start, end)"), in order. */
    private static List<String> sections(final String output)
    {
        return output.lines().filter(l -> l.startsWith("== ")).map(l -> l.substring(3, l.indexOf(')') + 1)).toList();
    }

    /** Runs inspect_agreement.py on the two JSON texts; fails with its list of differences. */
    private static void assertSame(final String mode, final Path dir, final String java, final String python)
        throws Exception
    {
        final String difference = difference(mode, dir, java, python);
        assertNull(difference, "launcher inspect and inspect.py disagree (" + mode + "):\n" + difference);
    }

    /** Runs inspect_agreement.py on the two JSON texts: null when they agree, else its list of differences. */
    private static String difference(final String mode, final Path dir, final String java, final String python)
        throws Exception
    {
        final Path javaFile = dir.resolve(mode + "-java.json");
        final Path pythonFile = dir.resolve(mode + "-python.json");
        Files.writeString(javaFile, java);
        Files.writeString(pythonFile, python);
        final Path compare = Path.of(InspectAgreementTest.class.getResource("/inspect_agreement.py").toURI());
        final String result = InspectPyTest.run("python3", compare.toString(), mode, javaFile.toString(),
            pythonFile.toString());
        return result.startsWith("0\nsame") ? null : result;
    }
}
