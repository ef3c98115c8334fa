package mp4j.launcher;

import mp4j.inspect.SessionSnapshot;
import mp4j.session.Printable;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionFiles;
import mp4j.session.SessionLayout;
import org.agrona.PrintBufferUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "inspect",
    header = "Decodes a session file live: processes, objects, lock owners (like top).", mixinStandardHelpOptions = true,
    description = {
        "Decodes a session file: header, processes (pid, name, daemon, state, exit code, heartbeat age, alive),",
        "and every shared object with its value and lock owner. With no file, the newest live session."})
final class InspectCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SESSION_FILE",
        description = "A session file's path or name (mp4j-<pid>-<hex>); default: the newest live session.")
    String file;

    @Option(names = "--json", description = "Print one JSON object: {header, processes, objects}.")
    boolean json;

    @Option(names = "--watch", description = "Redraw every second, like top, until the session ends or Ctrl-C.")
    boolean watch;

    @Option(names = "--hex", description = "Show the raw bytes of each section, with the section boundaries marked.")
    boolean hex;

    @Option(names = "--interval", defaultValue = "1000", paramLabel = "MS",
        description = "Redraw interval for --watch in milliseconds (default ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
        description = "With --watch, stop after N redraws (0: until the session ends).")
    int count;

    @Override
    public Integer call() throws Exception
    {
        if (intervalMs < 50)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--interval must be at least 50 ms, got " + intervalMs);
        }
        if (count < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be 0 or more, got " + count);
        }
        final Path path = file != null ? SessionFiles.resolve(file) : newestLive();
        final PrintStream out = System.out;
        if (!watch)
        {
            try (Session session = Session.openReadOnly(path))
            {
                print(session, out);
            }
            return 0;
        }
        for (int i = 0; count == 0 || i < count; i++)
        {
            if (!Files.exists(path))
            {
                out.println("session " + text(path.getFileName()) + " has ended");
                return 0;
            }
            final String frame;
            try (Session session = Session.openReadOnly(path))
            {
                final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                print(session, new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
                frame = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            catch (final SessionFileException ex)
            {
                if (!Files.exists(path))
                {
                    out.println("session " + text(path.getFileName()) + " has ended");
                    return 0;
                }
                throw ex;
            }
            if (!json)
            {
                out.print("\033[H\033[2J"); // home and clear, as top redraws
            }
            out.print(frame);
            out.flush();
            Thread.sleep(intervalMs);
        }
        return 0;
    }

    private static Path newestLive()
    {
        for (final Path candidate : SessionFiles.list())
        {
            try (Session session = Session.openReadOnly(candidate))
            {
                if (!session.isStale())
                {
                    return candidate;
                }
            }
            catch (final SessionFileException ex)
            {
                // not usable: look further
            }
        }
        throw new UserException("no live mp4j session in " + SessionFiles.directory() + "; start one (for example " +
            "'launcher daemon') or name a session file");
    }

    private void print(final Session session, final PrintStream out)
    {
        final SessionSnapshot snapshot = SessionSnapshot.of(session);
        if (json)
        {
            out.println(Json.write(snapshot.toMap()));
            return;
        }
        printText(snapshot, out);
        if (hex)
        {
            printHex(session, out);
        }
    }

    static void printText(final SessionSnapshot snapshot, final PrintStream out)
    {
        final Map<String, Object> h = snapshot.header();
        out.printf("session %s  (layout v%s, %s)%n", text(h.get("name")), h.get("layoutVersion"), text(h.get("file")));
        out.printf("creator pid %s %s, created %s, heartbeat %s ms ago%s%n", h.get("creatorPid"),
            Boolean.TRUE.equals(h.get("creatorAlive")) ? "alive" : "DEAD",
            Instant.ofEpochMilli((Long)h.get("createdMillis")), h.get("heartbeatAgeMs"),
            Boolean.TRUE.equals(h.get("stale")) ? "  [STALE: 'launcher clean' removes it]" : "");
        out.printf("data %s of %s bytes used; objects %s of %s; process slots %s%n%n", h.get("dataAllocated"),
            h.get("dataLength"), h.get("directoryUsed"), h.get("directoryCapacity"), h.get("processSlots"));

        out.println("PROCESSES");
        out.printf("%4s %8s %-20s %-8s %-6s %-8s %5s %9s %-5s %6s %5s %5s%n", "SLOT", "PID", "NAME", "ROLE",
            "DAEMON", "STATE", "EXIT", "HEARTBEAT", "ALIVE", "DONE", "FAIL", "BUSY");
        for (final Map<String, Object> p : snapshot.processes())
        {
            final Object age = p.get("heartbeatAgeMs");
            out.printf("%4s %8s %-20s %-8s %-6s %-8s %5s %9s %-5s %6s %5s %5s%n", p.get("slot"), p.get("pid"),
                clip(text(p.get("name")), 20), clip(text(p.get("role")), 8), p.get("daemon"), p.get("state"),
                p.get("exitCode") == null ? "-" : p.get("exitCode"), age == null ? "-" : age + "ms",
                Boolean.TRUE.equals(p.get("alive")) ? "yes" : "no", p.get("tasksDone"), p.get("tasksFailed"),
                p.get("tasksInFlight"));
        }
        out.println();
        out.println("OBJECTS");
        final List<Map<String, Object>> objects = snapshot.objects();
        if (objects.isEmpty())
        {
            out.println("  (none)");
        }
        for (final Map<String, Object> o : objects)
        {
            final StringBuilder details = new StringBuilder();
            final List<String> rows = new ArrayList<>();
            for (final Map.Entry<String, Object> e : o.entrySet())
            {
                switch (e.getKey())
                {
                    case "index", "name", "kind", "typeCode", "offset", "length", "lockOffset", "count",
                        "creatorSlot" ->
                    {
                    }
                    default ->
                    {
                        if (e.getKey().equals("lock") && e.getValue() instanceof Map<?, ?> lock)
                        {
                            details.append(" lock=").append(Json.write(lockText(lock)));
                        }
                        else if (e.getValue() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map)
                        {
                            for (final Object row : list) // a pool's workers, say: one line each
                            {
                                rows.add(keyValues((Map<?, ?>)row));
                            }
                        }
                        else
                        {
                            details.append(' ').append(e.getKey()).append('=').append(Json.write(e.getValue()));
                        }
                    }
                }
            }
            out.printf("%4s %-24s %-16s %-4s @%-10s %8s B%s%n", o.get("index"), clip(text(o.get("name")), 24),
                text(o.get("kind")), o.get("typeCode") == null ? "" : "'" + text(o.get("typeCode")) + "'",
                o.get("offset"), o.get("length"), details);
            for (final String row : rows)
            {
                out.println("       " + row);
            }
        }
    }

    /** A lock's state (docs/inspect-json.md, "lock") in one phrase; scripts/inspect.py prints the same. */
    static String lockText(final Map<?, ?> lock)
    {
        if (lock.get("error") != null)
        {
            return String.valueOf(lock.get("error"));
        }
        final StringBuilder text = new StringBuilder();
        if (!Boolean.TRUE.equals(lock.get("locked")))
        {
            text.append("free");
        }
        else
        {
            text.append("held by pid ").append(lock.get("ownerPid")).append(" thread ").append(lock.get("ownerThread"))
                .append(Boolean.TRUE.equals(lock.get("ownerAlive")) ? " (alive)" : " (DEAD)");
            if (lock.get("count") instanceof Integer count && count > 1)
            {
                text.append(", depth ").append(count);
            }
        }
        if (lock.get("waiters") instanceof Integer waiters && waiters > 0)
        {
            text.append(", ").append(waiters).append(" waiting");
        }
        if (lock.get("recoveries") instanceof Integer recoveries && recoveries > 0)
        {
            text.append(", taken from a dead owner ").append(recoveries).append('x');
        }
        return text.toString();
    }

    private static String keyValues(final Map<?, ?> row)
    {
        final StringBuilder line = new StringBuilder();
        for (final Map.Entry<?, ?> e : row.entrySet())
        {
            line.append(line.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(Json.write(e.getValue()));
        }
        return line.toString();
    }

    /** Names come from the session file, which anyone who could write it may have filled with escape sequences. */
    private static String text(final Object value)
    {
        return Printable.escape(String.valueOf(value));
    }

    private static String clip(final String s, final int width)
    {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    /** The raw bytes of each section, its boundaries marked as {@link SessionLayout}'s overview draws them. */
    private static void printHex(final Session session, final PrintStream out)
    {
        final var buffer = session.buffer();
        final ProcessTable table = session.processTable();
        final int slots = table.slotCount();
        out.println();
        out.printf("== header [0, %d): the first 192 bytes%n", SessionLayout.HEADER_LENGTH);
        out.println(PrintBufferUtil.prettyHexDump(buffer, 0, 192));
        final long tableStart = SessionLayout.processTableOffset();
        out.printf("== process table [%d, %d): %d slots of %d bytes; slots in use%n", tableStart,
            SessionLayout.directoryOffset(slots), slots, SessionLayout.SLOT_LENGTH);
        for (int slot = 0; slot < slots; slot++)
        {
            if (table.state(slot) != SessionLayout.SLOT_FREE)
            {
                out.printf("-- slot %d at %d%n", slot, tableStart + (long)slot * SessionLayout.SLOT_LENGTH);
                out.println(PrintBufferUtil.prettyHexDump(buffer,
                    (int)(tableStart + (long)slot * SessionLayout.SLOT_LENGTH), SessionLayout.SLOT_LENGTH));
            }
        }
        final long directoryStart = SessionLayout.directoryOffset(slots);
        final int capacity = session.directory().capacity();
        final int used = session.directory().used();
        out.printf("== object directory [%d, %d): %d of %d entries of %d bytes in use%n", directoryStart,
            directoryStart + (long)capacity * SessionLayout.ENTRY_LENGTH, used, capacity, SessionLayout.ENTRY_LENGTH);
        if (used > 0)
        {
            out.println(PrintBufferUtil.prettyHexDump(buffer, (int)directoryStart, used * SessionLayout.ENTRY_LENGTH));
        }
        final long payloadStart = SessionLayout.payloadOffset(slots, capacity);
        out.printf("== payload areas [%d, %d): %d of %d bytes, one per slot; the payloads of slots in use " +
            "(first 256 bytes)%n", payloadStart, payloadStart + (long)slots * SessionLayout.PAYLOAD_LENGTH, slots,
            SessionLayout.PAYLOAD_LENGTH);
        for (int slot = 0; slot < slots; slot++)
        {
            final int length = table.payloadLength(slot);
            if (table.state(slot) != SessionLayout.SLOT_FREE && length > 0 && length <= SessionLayout.PAYLOAD_LENGTH)
            {
                final long at = payloadStart + (long)slot * SessionLayout.PAYLOAD_LENGTH;
                out.printf("-- slot %d's payload at %d, %d bytes%n", slot, at, length);
                out.println(PrintBufferUtil.prettyHexDump(buffer, (int)at, Math.min(length, 256)));
            }
        }
        final long allocated = session.dataAllocated();
        final int shown = (int)Math.max(0, Math.min(allocated, 4096));
        out.printf("== data area [%d, %d): %d bytes allocated; the first %d%n", session.dataOffset(),
            session.dataOffset() + session.dataLength(), allocated, shown);
        if (shown > 0)
        {
            out.println(PrintBufferUtil.prettyHexDump(buffer, (int)session.dataOffset(), shown));
        }
    }
}
