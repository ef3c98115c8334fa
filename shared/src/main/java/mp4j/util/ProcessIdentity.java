package mp4j.util;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A process as the session file records it: pid plus start time, so that a pid reused by an unrelated process
 * after ours died is not mistaken for ours.
 * <p>
 * {@link #isAlive()} is what every lock waiter asks of its lock's owner every 10 ms, so it is kept cheap: on Linux
 * one read of {@code /proc/<pid>/stat} gives both the state (a zombie is dead) and the start time, computed as the
 * JDK computes {@link ProcessHandle.Info#startInstant()} (boot time + field 22 in clock ticks of 1/100 s). That
 * costs ~10 us of CPU where {@code ProcessHandle.of(pid).info()} costs ~100 us (it also reads the command line,
 * the executable and the user). It is used only when it gives the JDK's answer for this process's own start time;
 * anywhere else (no {@code /proc}, another clock tick) the JDK's {@link ProcessHandle} answers, as it always did.
 */
public record ProcessIdentity(long pid, long startMillis)
{
    /** Tolerance for start times: the kernel counts them in clock ticks (10 ms). */
    private static final long START_TOLERANCE_MS = 20;

    private static volatile ProcessIdentity current;

    /** This process. */
    public static ProcessIdentity current()
    {
        ProcessIdentity self = current;
        if (self == null)
        {
            final long pid = ProcessHandle.current().pid();
            self = new ProcessIdentity(pid, startMillisOf(pid, ProcessHandle.current()));
            current = self;
        }
        return self;
    }

    public static ProcessIdentity of(final ProcessHandle handle)
    {
        return new ProcessIdentity(handle.pid(), startMillisOf(handle.pid(), handle));
    }

    /** True while the process with this pid runs and is the one that started at {@code startMillis}. */
    public boolean isAlive()
    {
        if (pid <= 0)
        {
            return false;
        }
        final long bootMillis = ProcStat.BOOT_MILLIS;
        if (bootMillis != ProcStat.UNUSABLE)
        {
            final ProcStat stat = ProcStat.read(pid);
            if (stat != null)
            {
                return !stat.isZombie() && matches(stat.startMillis(bootMillis));
            }
            if (!ProcStat.exists(pid))
            {
                return false;
            }
            // there, but its stat did not read as expected: let the JDK judge
        }
        return isAliveByHandle();
    }

    /** {@link #isAlive()} as the JDK answers it, through {@link ProcessHandle}: the way anywhere /proc is not. */
    boolean isAliveByHandle()
    {
        if (pid <= 0)
        {
            return false;
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || ProcStat.isZombie(pid))
        {
            return false;
        }
        return startMillis == 0 || matches(startMillisByHandle(handle.get()));
    }

    private boolean matches(final long actualStart)
    {
        return startMillis == 0 || actualStart == 0 ||
            Math.abs(actualStart - startMillis) <= START_TOLERANCE_MS;
    }

    /** The start time of {@code pid} (epoch ms, as the JDK gives it); 0 when unknown or gone. */
    private static long startMillisOf(final long pid, final ProcessHandle handle)
    {
        final long bootMillis = ProcStat.BOOT_MILLIS;
        if (bootMillis != ProcStat.UNUSABLE)
        {
            final ProcStat stat = ProcStat.read(pid);
            if (stat != null)
            {
                return stat.startMillis(bootMillis);
            }
        }
        return startMillisByHandle(handle);
    }

    static long startMillisByHandle(final ProcessHandle handle)
    {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** Whether {@link #isAlive()} reads {@code /proc} itself here, or asks {@link ProcessHandle}. */
    static boolean readsProc()
    {
        return ProcStat.BOOT_MILLIS != ProcStat.UNUSABLE;
    }

    /**
     * What {@code /proc/<pid>/stat} says of a process: its state (field 3) and start time in clock ticks after boot
     * (field 22). Fields are counted from the last ')', as the command name (field 2) may hold spaces and ')'.
     */
    record ProcStat(char state, long startTicks)
    {
        /** Linux's USER_HZ: {@code sysconf(_SC_CLK_TCK)}, 100 on every architecture the JDK runs on. */
        static final long TICKS_PER_SECOND = 100;
        static final long UNUSABLE = Long.MIN_VALUE;
        /**
         * The boot time the start times are counted from (epoch ms), or {@link #UNUSABLE} unless this computation
         * gives exactly the JDK's start time for this process.
         */
        static final long BOOT_MILLIS = calibrate();
        private static final int MAX_LENGTH = 1024;
        private static final int START_FIELD = 22;

        boolean isZombie()
        {
            return state == 'Z' || state == 'X';
        }

        long startMillis(final long bootMillis)
        {
            return bootMillis + startTicks * 1000 / TICKS_PER_SECOND;
        }

        /** One read of {@code /proc/<pid>/stat}; null when there is none or it does not parse. */
        static ProcStat read(final long pid)
        {
            final byte[] bytes = new byte[MAX_LENGTH];
            int length = 0;
            try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat"))
            {
                for (int n; length < bytes.length && (n = in.read(bytes, length, bytes.length - length)) > 0; )
                {
                    length += n;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                return null; // no such process (any more), or no /proc
            }
            return parse(bytes, length);
        }

        static ProcStat parse(final byte[] bytes, final int length)
        {
            int at = length - 1;
            while (at >= 0 && bytes[at] != ')')
            {
                at--;
            }
            if (at < 0 || at + 2 >= length)
            {
                return null;
            }
            final char state = (char)bytes[at + 2];
            at += 3; // the space after the state, which is field 3
            for (int field = 3; field < START_FIELD; field++)
            {
                if (at >= length || bytes[at] != ' ')
                {
                    return null;
                }
                at++;
                if (field + 1 < START_FIELD)
                {
                    while (at < length && bytes[at] != ' ')
                    {
                        at++;
                    }
                }
            }
            long ticks = 0;
            int digits = 0;
            for (; at < length && bytes[at] >= '0' && bytes[at] <= '9' && digits < 18; at++, digits++)
            {
                ticks = ticks * 10 + (bytes[at] - '0');
            }
            return digits == 0 ? null : new ProcStat(state, ticks);
        }

        static boolean exists(final long pid)
        {
            return Files.exists(Path.of("/proc", Long.toString(pid)));
        }

        /** A killed process not yet reaped by its parent still has a pid; it is dead all the same. */
        static boolean isZombie(final long pid)
        {
            final ProcStat stat = read(pid);
            return stat != null && stat.isZombie(); // none: no /proc, or just gone (the caller asked the JDK)
        }

        private static long calibrate()
        {
            try
            {
                final ProcessHandle self = ProcessHandle.current();
                final ProcStat stat = read(self.pid());
                final long jdk = startMillisByHandle(self);
                final long boot = bootMillis();
                return stat != null && jdk != 0 && boot > 0 && stat.startMillis(boot) == jdk ? boot : UNUSABLE;
            }
            catch (final RuntimeException ex)
            {
                return UNUSABLE;
            }
        }

        /** The {@code btime} line of {@code /proc/stat} (seconds since the epoch), in ms; 0 when there is none. */
        private static long bootMillis()
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII))
                {
                    if (line.startsWith("btime "))
                    {
                        return Long.parseLong(line.substring("btime ".length()).trim()) * 1000;
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // no /proc: the JDK answers
            }
            return 0;
        }
    }
}
