package mp4j.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags an Ignite node needs on Java 17+: 24 {@code --add-opens} (without
 * {@code --add-opens java.base/java.nio} a node dies at start), listed in the resource
 * {@code mp4j/cluster/ignite-jvm-flags.txt}. mp4j gives them to the node JVMs it starts; a user's own JVM that
 * joins as a client needs them too, and {@link #check()} says which are missing and the one line to add.
 */
public final class JvmFlags
{
    /** The flag that silences JDK 23+'s warning about Ignite's use of {@code sun.misc.Unsafe}. */
    public static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";

    private static final List<String> REQUIRED = load();

    private JvmFlags()
    {
    }

    /**
     * The flags every JVM that runs an Ignite node needs, whatever its version.
     *
     * @return the 24 {@code --add-opens=module/package=ALL-UNNAMED} flags, an unmodifiable list.
     */
    public static List<String> required()
    {
        return REQUIRED;
    }

    /**
     * What a node JVM that mp4j starts gets on its command line: the opens, and quiet Unsafe where the JDK warns.
     *
     * @param javaFeature the feature version of the JVM to start ({@code 17}, {@code 25}, ...).
     * @return a new list: {@link #required()}, plus {@link #UNSAFE_ALLOW} from 23 on.
     */
    public static List<String> forJava(final int javaFeature)
    {
        final List<String> flags = new ArrayList<>(REQUIRED);
        if (javaFeature >= 23)
        {
            flags.add(UNSAFE_ALLOW);
        }
        return flags;
    }

    /**
     * The flags as one line, for a command line or Maven's {@code argLine}.
     *
     * @return {@link #required()} separated by spaces.
     */
    public static String oneLine()
    {
        return String.join(" ", REQUIRED);
    }

    /**
     * The flags as a jar manifest's {@code Add-Opens} attribute lists them, for an executable jar.
     *
     * @return the {@code module/package} pairs, separated by spaces.
     */
    public static String manifestAddOpens()
    {
        final List<String> pairs = new ArrayList<>();
        for (final String flag : REQUIRED)
        {
            pairs.add(modulePackage(flag));
        }
        return String.join(" ", pairs);
    }

    /**
     * The required flags not in effect in this JVM; a module the JVM does not have counts as opened.
     *
     * @return a new list of the missing flags; empty when this JVM can run a node.
     */
    public static List<String> missing()
    {
        final Module unnamed = JvmFlags.class.getClassLoader().getUnnamedModule();
        final List<String> missing = new ArrayList<>();
        for (final String flag : REQUIRED)
        {
            final String[] modulePackage = modulePackage(flag).split("/", 2);
            final Optional<Module> module = ModuleLayer.boot().findModule(modulePackage[0]);
            // a module this JVM does not have (a trimmed runtime) cannot be opened, and Ignite will not use it
            if (module.isPresent() && !module.get().isOpen(modulePackage[1], unnamed))
            {
                missing.add(flag);
            }
        }
        return missing;
    }

    /**
     * True when this JVM would print JDK 23+'s {@code sun.misc.Unsafe} warning once Ignite starts: a feature
     * version of 24 or more (23 does not warn by default) without {@link #UNSAFE_ALLOW}.
     *
     * @return true when the warning is to be expected; false on JDK 23 and older, or with the flag given.
     */
    public static boolean unsafeWarningExpected()
    {
        if (Runtime.version().feature() < 24)
        {
            return false;
        }
        return !java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().contains(UNSAFE_ALLOW);
    }

    /**
     * Throws a clear error when this JVM cannot run an Ignite node: which flags are missing and what to add.
     *
     * @throws IllegalStateException naming the missing flags.
     */
    public static void check()
    {
        final List<String> missing = missing();
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("this JVM cannot join an Ignite cluster: " + missing.size() + " of the " +
                REQUIRED.size() + " JVM flags Ignite needs on Java 17+ are missing (" + String.join(" ", missing) +
                "). Start it with: java " + oneLine() + " ... (the line 'launcher cluster --jvm-flags' prints; " +
                "docs/cluster.md says where it goes in a Maven build)");
        }
    }

    private static String modulePackage(final String flag)
    {
        final String pair = flag.substring("--add-opens=".length());
        return pair.substring(0, pair.indexOf('='));
    }

    private static List<String> load()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream("ignite-jvm-flags.txt"))
        {
            if (in == null)
            {
                throw new IllegalStateException("resource mp4j/cluster/ignite-jvm-flags.txt is missing from the " +
                    "mp4j-cluster jar");
            }
            final List<String> flags = new ArrayList<>();
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                line = line.strip();
                if (line.startsWith("--add-opens="))
                {
                    flags.add(line);
                }
            }
            return List.copyOf(flags);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
