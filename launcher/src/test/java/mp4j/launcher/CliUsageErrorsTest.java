package mp4j.launcher;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every subcommand, including ones added later, answers bad arguments with a usage error: exit code 2 and a
 * message, never a stack trace. Checked generically from the picocli model, so no command is forgotten.
 */
class CliUsageErrorsTest
{
    @TestFactory
    List<DynamicTest> everySubcommandRejectsBadArguments()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, CommandLine> entry : Launcher.commandLine().getSubcommands().entrySet())
        {
            final String name = entry.getKey();
            if (name.equals("help"))
            {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name + " --no-such-option", () -> assertUsageError(name, "--no-such-option")));
            tests.add(DynamicTest.dynamicTest(name + " --help", () ->
            {
                final Cli help = Cli.run(name, "--help");
                assertEquals(0, help.exitCode(), help.err());
                assertTrue(help.out().contains("Usage:"), help.out());
            }));
            if (!name.equals("run")) // run takes a main class and any arguments for it (RunCommandTest)
            {
                tests.add(DynamicTest.dynamicTest(name + " (extra arguments)",
                    () -> assertUsageError(name, "extra1", "extra2", "extra3", "extra4", "extra5")));
            }
            collectNumericOptions(entry.getValue().getCommandSpec(), name, tests);
        }
        return tests;
    }

    private static void collectNumericOptions(final CommandSpec spec, final String name, final List<DynamicTest> tests)
    {
        for (final OptionSpec option : spec.options())
        {
            final Class<?> type = option.type();
            final boolean numeric = type == int.class || type == long.class || type == double.class ||
                type == Integer.class || type == Long.class || type == Double.class;
            if (numeric && option.arity().min() > 0)
            {
                final String flag = option.longestName();
                tests.add(DynamicTest.dynamicTest(name + " " + flag + " abc", () -> assertUsageError(name, flag, "abc")));
                tests.add(DynamicTest.dynamicTest(name + " " + flag + " (missing value)",
                    () -> assertUsageError(name, flag)));
                if (!flag.contains("seed"))
                {
                    // no count, size or time of ours can be negative (a seed can)
                    tests.add(DynamicTest.dynamicTest(name + " " + flag + " -5", () -> assertUsageError(name, flag + "=-5")));
                }
            }
        }
        for (final Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet())
        {
            if (!sub.getKey().equals("help"))
            {
                collectNumericOptions(sub.getValue().getCommandSpec(), name + " " + sub.getKey(), tests);
            }
        }
    }

    private static void assertUsageError(final String command, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(args));
        final Cli result = Cli.run(all.toArray(String[]::new));
        assertEquals(2, result.exitCode(), "'" + String.join(" ", all) + "' should be a usage error; out: " +
            result.out() + " err: " + result.err());
        assertFalse(result.err().isBlank(), "a usage error says what is wrong");
        assertFalse(result.err().contains("\tat "), "no stack trace for a usage error: " + result.err());
        if (result.err().contains("Usage:"))
        {
            assertTrue(result.err().contains("Usage: launcher " + command + " "),
                "the usage shown is the subcommand's, not the top-level one: " + result.err());
        }
    }

    @Test
    void checksInsideACommandShowThatCommandsUsage()
    {
        for (final String[] args : new String[][] {{"pool", "--procs", "0"}, {"pool-async", "--tasks", "0"},
            {"daemon", "--worker-seconds", "4000"}, {"inspect", "--interval", "10"}})
        {
            final Cli result = Cli.run(args);
            assertEquals(2, result.exitCode(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.err().contains("Usage: launcher " + args[0] + " ") &&
                !result.err().contains("Usage: launcher [-hV]"), String.join(" ", args) + ": " + result.err());
        }
    }
}
