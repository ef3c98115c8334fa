package mp4j.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code -Dname=value} options of this JVM's command line, which workers inherit (see {@link JvmOptions}).
 * Read once from the operating system's record of the command line ({@link ProcessHandle.Info#arguments()},
 * {@code /proc/self/cmdline} on Linux), which, unlike {@code System.getProperties()}, tells the properties a user
 * set from those the JVM sets itself; and which, unlike the management API, costs no module and no start time.
 */
final class InheritedProperties
{
    /** Options of the {@code java} launcher whose value is the next argument. */
    private static final Set<String> TAKES_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
        "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-exports", "--add-opens", "--add-reads",
        "--patch-module", "--enable-native-access", "--source");
    /** The JMX agent's properties: each worker would try to open the parent's port. */
    private static final String JMX_PREFIX = "-Dcom.sun.management.";
    /** Read by the parent to build the workers' command line, not by workers. */
    private static final String OWN_PREFIX = "-Dmp4j.";

    private static volatile List<String> properties;

    private InheritedProperties()
    {
    }

    /** This JVM's {@code -D} options that a worker inherits, in command-line order. */
    static List<String> ofThisJvm()
    {
        List<String> result = properties;
        if (result == null)
        {
            result = fromCommandLine(ProcessHandle.current().info().arguments().map(List::of).orElse(List.of()));
            properties = result;
        }
        return result;
    }

    /**
     * The {@code -D} options among the JVM options of {@code arguments} (a {@code java} command line without the
     * binary): those before the main class, {@code -jar}, {@code -m} or a source file; {@code @argfiles}
     * expanded. mp4j's own ({@code mp4j.*}, which workers get from the properties themselves) and the JMX agent's
     * are left out.
     */
    static List<String> fromCommandLine(final List<String> arguments)
    {
        final List<String> found = new ArrayList<>();
        final List<String> expanded = expandArgumentFiles(arguments);
        for (int i = 0; i < expanded.size(); i++)
        {
            final String argument = expanded.get(i);
            if (!argument.startsWith("-") || argument.equals("-jar") || argument.equals("-m") ||
                argument.equals("--module") || argument.startsWith("--module="))
            {
                break; // the main class, jar or module: what follows is the program's own arguments
            }
            if (TAKES_VALUE.contains(argument))
            {
                i++;
            }
            else if (argument.startsWith("-D") && argument.length() > 2 && !argument.startsWith(JMX_PREFIX) &&
                !argument.startsWith(OWN_PREFIX))
            {
                found.add(argument);
            }
        }
        return List.copyOf(found);
    }

    /** {@code java @file}: the file's arguments in its place. */
    private static List<String> expandArgumentFiles(final List<String> arguments)
    {
        final List<String> expanded = new ArrayList<>();
        boolean options = true;
        for (final String argument : arguments)
        {
            if (options && argument.startsWith("@") && !argument.startsWith("@@"))
            {
                try
                {
                    expanded.addAll(words(Files.readAllLines(Path.of(argument.substring(1)))));
                }
                catch (final IOException | RuntimeException ex)
                {
                    // the file is gone since this JVM started: its options cannot be inherited
                }
                continue;
            }
            if (!argument.startsWith("-"))
            {
                options = false;
            }
            expanded.add(argument);
        }
        return expanded;
    }

    /** The arguments of an argument file: white space separates, quotes group, {@code #} starts a comment line. */
    private static List<String> words(final List<String> lines)
    {
        final List<String> words = new ArrayList<>();
        for (final String line : lines)
        {
            if (line.strip().startsWith("#"))
            {
                continue;
            }
            final StringBuilder word = new StringBuilder();
            boolean inWord = false;
            char quote = 0;
            for (int i = 0; i < line.length(); i++)
            {
                final char c = line.charAt(i);
                if (quote != 0)
                {
                    if (c == quote)
                    {
                        quote = 0;
                    }
                    else
                    {
                        word.append(c);
                    }
                }
                else if (c == '"' || c == '\'')
                {
                    quote = c;
                    inWord = true;
                }
                else if (Character.isWhitespace(c))
                {
                    if (inWord)
                    {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                else
                {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord)
            {
                words.add(word.toString());
            }
        }
        return words;
    }
}
