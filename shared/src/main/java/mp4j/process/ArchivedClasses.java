package mp4j.process;

import java.io.File;
import java.io.IOException;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import mp4j.codec.WarmUp;

/**
 * What the worker that dumps the class-data archive ({@link WorkerClassDataSharing}) loads besides what its own
 * target needs, so that the archive serves every later worker, not only ones like the first; and, on JDK 25, the
 * training run of the AOT cache ({@link #main}).
 * <p>
 * A dynamic archive holds exactly the classes its dumper loaded. Dumped by a worker whose target did almost
 * nothing, it left each of a pool's workers to load its pool, ring and codec classes from the jar: Pool(4) ready
 * took 230-245 ms instead of 190 ms, depending only on which worker happened to run first after a build. The
 * dumper therefore loads (without initializing) every class of mp4j's library and worker and the Agrona packages
 * they use, on a background thread of low priority, and its exit waits for that before the JVM dumps.
 */
public final class ArchivedClasses
{
    /** Jar entries under these folders, subfolders included. */
    private static final List<String> FOLDERS_WITH_SUBFOLDERS = List.of("mp4j/");
    /** Jar entries directly in these folders. */
    private static final List<String> FOLDERS = List.of(
        "org/agrona/", "org/agrona/concurrent/", "org/agrona/concurrent/ringbuffer/");
    /** The launcher's own classes: a worker never runs them. */
    private static final String EXCLUDED = "mp4j/launcher/";

    private ArchivedClasses()
    {
    }

    /**
     * The training run of the JDK's AOT cache (JDK 25+, started by {@link WorkerClassDataSharing} with a worker's
     * flags and class path and {@code -XX:AOTCacheOutput}): does in one JVM what workers do, so that the cache holds
     * their classes loaded and linked and their lambdas' call sites, and the JIT's profiles of the hot paths
     * (JEP 515): a session made, its process table, a payload written and read back into a target, values, locks,
     * queues and pipes used a few thousand times, serialization; then every class a worker might load. The session
     * is removed before it exits.
     */
    public static void main(final String[] args) throws Exception
    {
        final mp4j.session.Session session = mp4j.session.Session.create();
        try
        {
            mp4j.session.Session.setCurrent(session);
            final mp4j.session.ProcessTable table = session.processTable();
            final int slot = table.claim(0, "aot-training", "process", true);
            new ProcessPayload(Training.class.getName(), null, new Object[] {1, "two", 3.0}).writeTo(session, slot);
            final ProcessPayload payload = ProcessPayload.readFrom(session, slot);
            payload.resolveTarget().run(payload.args());
            table.release(slot);
        }
        finally
        {
            mp4j.session.Session.clearCurrent(session);
            session.close();
            session.unlink();
        }
        mp4j.codec.WarmUp.serialization();
        load();
    }

    /** A worker's everyday work, in one process. */
    public static final class Training implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            final mp4j.sharedctypes.Value value = new mp4j.sharedctypes.Value('i');
            final mp4j.synchronize.Lock lock = new mp4j.synchronize.Lock();
            final mp4j.queues.Queue queue = new mp4j.queues.Queue();
            final mp4j.queues.Pipe pipe = mp4j.queues.Pipe.create();
            for (int i = 0; i < 5_000; i++)
            {
                lock.acquire();
                try
                {
                    value.set(value.get() + 1);
                }
                finally
                {
                    lock.release();
                }
                queue.put(i % 2 == 0 ? Integer.valueOf(i) : new Object[] {i, "item", (double)i});
                queue.get();
                pipe.conn1().send(new byte[8]);
                pipe.conn2().recv();
            }
        }
    }

    /** Starts loading them on a background thread; join the thread before the JVM exits. */
    public static Thread loadInBackground()
    {
        final Thread thread = new Thread(() ->
        {
            load();
            WarmUp.serialization(); // the JDK's lambda and serialization classes, which every pool uses
        }, "mp4j-cds-preload");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /** Loads the classes (not initializing them: no static initializer runs); returns how many. */
    static int load()
    {
        int loaded = 0;
        final ClassLoader loader = ArchivedClasses.class.getClassLoader();
        for (final String entry : System.getProperty("java.class.path", "").split(File.pathSeparator))
        {
            if (!entry.endsWith(".jar"))
            {
                continue;
            }
            try (JarFile jar = new JarFile(entry))
            {
                final Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements())
                {
                    final String name = entries.nextElement().getName();
                    if (isWanted(name))
                    {
                        try
                        {
                            Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                                false, loader);
                            loaded++;
                        }
                        catch (final ClassNotFoundException | LinkageError ex)
                        {
                            // a class of an optional dependency: the archive does without it
                        }
                    }
                }
            }
            catch (final IOException ex)
            {
                // an unreadable jar: the archive does without its classes
            }
        }
        return loaded;
    }

    static boolean isWanted(final String name)
    {
        if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.endsWith("package-info.class") ||
            name.startsWith(EXCLUDED))
        {
            return false;
        }
        for (final String folder : FOLDERS_WITH_SUBFOLDERS)
        {
            if (name.startsWith(folder))
            {
                return true;
            }
        }
        final String folder = name.substring(0, name.lastIndexOf('/') + 1);
        return FOLDERS.contains(folder);
    }
}
