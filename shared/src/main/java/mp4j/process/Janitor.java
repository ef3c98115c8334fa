package mp4j.process;

import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionLifecycle;
import mp4j.session.StaleSessions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes the files of a session whose creator was killed, once no process of it is left, as CPython's resource
 * tracker unlinks what a killed program leaked: the second of the three ways a session's files go (last one out,
 * the janitor, the sweep; how they fit together is told once, in {@link StaleSessions}).
 * <p>
 * Why a process of its own: a session's last process removes the files as it leaves, but daemon workers still
 * booting when their parent is killed get the kernel's SIGTERM (see {@link ParentDeathSignal}) and die before any
 * code of ours runs in them. When they were all the session had, nobody was left to remove the file (2 of 5 tries
 * of a {@code launcher pool} killed 0.65 s after its start), and it stayed until the next mp4j start swept it.
 * <p>
 * How, cheaply: when a creator starts its first worker, it also starts {@code /bin/sh} (on a thread of its own,
 * beside the worker) reading a pipe that only the creator holds (children never inherit it). While the creator
 * lives, the shell waits in {@code read} and costs nothing. When the creator is gone and the file is still there
 * half a second later (the usual last-one-out has had its time), the shell becomes this class's {@link #main} in a
 * small JVM, niced, which waits until no process of the session is alive (workers still booting may yet register)
 * and then sweeps the file ({@link StaleSessions#removeIfStale}): under the sweep's rules it removes what the
 * session answers for, the file and its side files. Linux only (it uses {@code /proc} and {@code /bin/sh});
 * elsewhere the sweep at the next start remains.
 */
public final class Janitor
{
    /** Set to "false" to start no janitor (the sweep at the next mp4j start remains). */
    static final String ENABLED_PROPERTY = "mp4j.janitor";
    private static final long POLL_MS = 20;
    private static final long MAX_POLL_MS = 1_000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /**
     * The shell: it waits for the end of the creator (its pipe closes), lets a last-one-out finish, then hands over to
     * the JVM. INT and HUP are ignored: a Ctrl-C in a terminal reaches the whole process group, and the creator,
     * which gets it too, removes its file itself.
     */
    private static final String SCRIPT = String.join("\n",
        "trap '' INT HUP",
        "while read -r _; do :; done",
        "sleep 0.5 2>/dev/null || sleep 1",
        "[ -e \"$MP4J_JANITOR_FILE\" ] || exit 0",
        "exec nice -n 10 \"$@\"");
    /** The creator's end of the janitor's pipe, held as long as the creator lives (never written to). */
    private static volatile OutputStream pipe;

    private Janitor()
    {
    }

    /** Starts the janitor of this process's session, once, when this process created it. */
    static void ensureStarted(final Session session)
    {
        if (!SessionLifecycle.isCreator() || session != Session.currentOrNull() ||
            !"true".equals(System.getProperty(ENABLED_PROPERTY, "true")) || !Files.isExecutable(Path.of("/bin/sh")) ||
            !Files.isDirectory(Path.of("/proc/self")) || !STARTED.compareAndSet(false, true))
        {
            return;
        }
        final List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "mp4j-janitor"));
        command.add(WorkerCommand.javaBinary());
        command.add(WorkerCommand.AGRONA_EXPORTS);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmx32m",
            "-Xss512k", "-cp", WorkerCommand.classPath(), Janitor.class.getName(),
            session.file().toAbsolutePath().toString()));
        // Neither of the creator's outputs: a pipe reading them (launcher pool | tee log) must end with the creator.
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("MP4J_JANITOR_FILE", session.file().toAbsolutePath().toString());
        // Beside the first worker's start, not before it: a fork and exec takes 7-12 ms here even on an idle
        // machine, which the first Process.start (and a Pool's first worker) would otherwise wait for. The price is
        // a window of those few ms in which a parent killed with its first worker still booting leaves its file to
        // the sweep.
        final Thread starter = new Thread(() ->
        {
            try
            {
                pipe = builder.start().getOutputStream();
            }
            catch (final IOException | RuntimeException ex)
            {
                // no janitor: the sweep at the next mp4j start removes what a killed creator leaves
            }
        }, "mp4j-janitor-start");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * The janitor JVM: {@code Janitor SESSION_FILE}. Waits until the session's creator and every process of its table
     * have ended, then removes the file and the blocks it records; exits at once when the file is gone already or
     * cannot be read as a session (then it is not the janitor's to remove).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path file = Path.of(args[0]);
        long pollMs = POLL_MS;
        while (Files.exists(file, LinkOption.NOFOLLOW_LINKS))
        {
            final boolean anyoneLeft;
            try (Session session = Session.openReadOnly(file))
            {
                anyoneLeft = !session.isStale();
            }
            catch (final SessionFileException | IllegalArgumentException | IndexOutOfBoundsException ex)
            {
                return;
            }
            if (!anyoneLeft)
            {
                // As a sweep would, with its rules: what the session answers for, the file, its side files. What a
                // live process still uses stays, for the sweep at the next mp4j start.
                StaleSessions.removeIfStale(file);
                return;
            }
            // Booting workers die or register within a second; registered ones may run for hours.
            TimeUnit.MILLISECONDS.sleep(pollMs);
            pollMs = Math.min(MAX_POLL_MS, pollMs * 2);
        }
    }
}
