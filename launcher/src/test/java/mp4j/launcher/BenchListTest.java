package mp4j.launcher;

import mp4j.launcher.bench.BenchCurve;
import mp4j.launcher.bench.BenchFigure;
import mp4j.launcher.bench.BenchFigures;
import mp4j.launcher.bench.ClusterBench;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks are listed once, in Java; scripts/bench and Python's figures.py follow that list. */
class BenchListTest
{
    @Test
    void everyFigureDeclaresWhatTheTableShows()
    {
        for (final BenchFigure figure : BenchFigures.all().values())
        {
            assertFalse(figure.unit().isEmpty(), figure.key() + " has no unit");
            assertFalse(figure.description().isEmpty(), figure.key() + " says not what it measures");
            assertTrue(figure.peers().stream().allMatch(p -> List.of(BenchFigure.PYTHON, BenchFigure.PP4J,
                BenchFigure.RAW_RING, BenchFigure.THREADS).contains(p)), figure.key() + ": " + figure.peers());
        }
        for (final BenchCurve curve : BenchFigures.curves().values())
        {
            assertFalse(curve.xs(false).isEmpty(), curve.key());
            assertFalse(curve.yLabels().isEmpty(), curve.key());
        }
    }

    @Test
    void listJsonIsWhatScriptsBenchReads()
    {
        final Cli list = Cli.run("bench", "--list", "--json");
        assertEquals(0, list.exitCode(), list.err());
        final String json = list.out().trim();
        assertTrue(json.startsWith("{\"figures\":[{\"key\":") || json.startsWith("{\"curves\":"), json);
        for (final String key : BenchFigures.all().keySet())
        {
            assertTrue(json.contains("\"key\":\"" + key + "\""), key);
        }
        assertTrue(json.contains("\"perJdk\":true"), "process start depends on the JDK");
        assertTrue(json.contains("\"cluster\":{\"key\":\"cluster\""), "scripts/bench --cluster reads it: " + json);
        for (final ClusterBench.Part part : ClusterBench.PARTS)
        {
            assertTrue(json.contains("\"key\":\"" + part.key() + "\""), part.key());
            assertTrue(json.contains("\"local\":\"" + part.local() + "\""), part.local());
        }
        assertFalse(BenchFigures.all().containsKey(BenchFigures.cluster().key()),
            "the cluster's figures have a table of their own, not a row of the main one");
        assertEquals(1, Cli.run("bench", "no_such_figure").exitCode(), "an unknown key is the user's error");
    }

    @Test
    void pythonMeasuresTheDeclaredKeysAndNoOthers() throws Exception
    {
        Assumptions.assumeTrue(InspectPyTest.hasPython(), "python3 is not installed");
        final java.lang.Process python = new ProcessBuilder("python3",
            InspectPyTest.script("python/figures.py").toString(), "--list").redirectErrorStream(true).start();
        final String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), out);
        final Set<String> pythonKeys = new HashSet<>(List.of(out.trim().split("\\s+")));
        final Set<String> withPythonPeer = new HashSet<>();
        for (final Map.Entry<String, BenchFigure> figure : BenchFigures.all().entrySet())
        {
            if (figure.getValue().peers().contains(BenchFigure.PYTHON))
            {
                withPythonPeer.add(figure.getKey());
            }
        }
        withPythonPeer.addAll(BenchFigures.curves().keySet());
        assertEquals(withPythonPeer, pythonKeys);
    }
}
