package mp4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The floors of {@code docs/architecture.md}, read from the library's own sources: every arrow between two packages
 * (an import, or a fully qualified name in code) points down, the ground floor calls no one, and no packages
 * depend on each other in a circle.
 */
class FloorsTest
{
    /** Package to floor, lowest first; a package may use those on lower floors only. */
    private static final Map<String, Integer> FLOORS = Map.ofEntries(
        Map.entry("mp4j.util", 0), Map.entry("mp4j.codec", 0),
        Map.entry("mp4j.session", 1),
        Map.entry("mp4j.synchronize", 2), Map.entry("mp4j.sharedmemory", 2),
        Map.entry("mp4j.sharedctypes", 3), Map.entry("mp4j.queues", 3),
        Map.entry("mp4j.process", 4),
        Map.entry("mp4j.pool", 5), Map.entry("mp4j.managers", 5),
        Map.entry("mp4j.context", 6), Map.entry("mp4j.inspect", 6), Map.entry("mp4j", 6));
    private static final Set<String> GROUND = Set.of("mp4j.util", "mp4j.codec", "mp4j.session");
    private static final Pattern REFERENCE = Pattern.compile("\\b(mp4j(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]\\w*");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    @Test
    void everyArrowPointsDownAndNoneLeavesTheGroundFloor() throws IOException
    {
        final Map<String, Map<String, Set<String>>> arrows = arrows(Path.of("src/main/java"));
        assertTrue(arrows.containsKey("mp4j.session"), "read the sources: " + arrows.keySet());
        final List<String> wrong = new ArrayList<>();
        arrows.forEach((from, targets) -> targets.forEach((to, files) ->
        {
            final Integer fromFloor = FLOORS.get(from);
            final Integer toFloor = FLOORS.get(to);
            if (GROUND.contains(from) && (toFloor == null || toFloor >= FLOORS.get(from)))
            {
                wrong.add(from + " (ground floor) uses " + to + " in " + files + ": the ground floor calls no one; " +
                    "a floor above registers a mp4j.session.SessionHook instead");
            }
            else if (fromFloor != null && toFloor != null && toFloor >= fromFloor)
            {
                wrong.add(from + " (floor " + fromFloor + ") uses " + to + " (floor " + toFloor + ") in " + files);
            }
        }));
        assertEquals(List.of(), wrong, "arrows that do not point down (floors: docs/architecture.md)");
    }

    @Test
    void noPackagesDependOnEachOtherInACircle() throws IOException
    {
        final Map<String, Map<String, Set<String>>> arrows = arrows(Path.of("src/main/java"));
        final List<List<String>> circles = new ArrayList<>();
        for (final String start : arrows.keySet())
        {
            final List<String> path = new ArrayList<>(List.of(start));
            if (circle(arrows, start, path, new TreeSet<>()))
            {
                circles.add(path);
            }
        }
        assertEquals(List.of(), circles, "packages that depend on each other");
    }

    /** Depth first from the last package of {@code path}; true with the circle in {@code path} if it meets start. */
    private static boolean circle(final Map<String, Map<String, Set<String>>> arrows, final String start,
        final List<String> path, final Set<String> seen)
    {
        final String at = path.get(path.size() - 1);
        for (final String next : arrows.getOrDefault(at, Map.of()).keySet())
        {
            path.add(next);
            if (next.equals(start) || (seen.add(next) && circle(arrows, start, path, seen)))
            {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** From package, to package, the files that make the arrow. */
    private static Map<String, Map<String, Set<String>>> arrows(final Path sources) throws IOException
    {
        final Map<String, Map<String, Set<String>>> arrows = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources))
        {
            for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".java"))::iterator)
            {
                final String code = withoutCommentsAndStrings(Files.readString(file));
                final Matcher declared = PACKAGE.matcher(code);
                if (!declared.find())
                {
                    continue; // package-info.java: comments only
                }
                final String from = declared.group(1);
                final Matcher reference = REFERENCE.matcher(code);
                reference.region(declared.end(), code.length());
                while (reference.find())
                {
                    final String to = reference.group(1);
                    if (!to.equals(from))
                    {
                        arrows.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                            .add(file.getFileName().toString());
                    }
                }
            }
        }
        return arrows;
    }

    /** The code alone: a name in a comment or a string ("mp4j.worker.WorkerMain") is no arrow. */
    static String withoutCommentsAndStrings(final String source)
    {
        final StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length())
        {
            if (source.startsWith("/*", i))
            {
                final int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                code.append(' ');
            }
            else if (source.startsWith("//", i))
            {
                final int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            }
            else if (source.startsWith("\"\"\"", i))
            {
                final int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? source.length() : end + 3;
                code.append("\"\"");
            }
            else if (source.charAt(i) == '"' || source.charAt(i) == '\'')
            {
                final char quote = source.charAt(i);
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != quote && source.charAt(end) != '\n')
                {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                code.append(quote).append(quote);
            }
            else
            {
                code.append(source.charAt(i++));
            }
        }
        return code.toString();
    }

    @Test
    void seesNoArrowInCommentsOrStrings()
    {
        final String code = withoutCommentsAndStrings(
            "/** {@link mp4j.process.Process} */ String s = \"mp4j.worker.WorkerMain\"; // mp4j.pool.Pool\n" +
            "char c = '\"'; mp4j.codec.ValueCodec v;");
        assertFalse(code.contains("mp4j.process") || code.contains("mp4j.worker") || code.contains("mp4j.pool"), code);
        assertTrue(code.contains("mp4j.codec.ValueCodec"), code);
    }
}
