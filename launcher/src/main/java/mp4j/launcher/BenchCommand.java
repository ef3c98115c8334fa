package mp4j.launcher;

import mp4j.launcher.bench.BenchCurve;
import mp4j.launcher.bench.BenchFigure;
import mp4j.launcher.bench.BenchFigures;
import mp4j.launcher.bench.ClusterBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures one figure (or cost curve) on the mp4j side, with its Java peers, and prints it as JSON.",
        "scripts/bench runs every figure here and its Python twin, side by side, several times."})
final class BenchCommand implements Callable<Integer>
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "The figure's key; see --list.")
    String key;

    @Option(names = "--list", description = "List the figures and curves: key, what, unit, target, peers.")
    boolean list;

    @Option(names = "--json", description = "With --list: the declarations as JSON, as scripts/bench reads them.")
    boolean json;

    @Option(names = "--quick", description = "A short run.")
    boolean quick;

    @Override
    public Integer call() throws Exception
    {
        final Map<String, BenchFigure> figures = BenchFigures.all();
        final Map<String, BenchCurve> curves = BenchFigures.curves();
        if (list || key == null)
        {
            list(figures, curves);
            return 0;
        }
        final ClusterBench cluster = BenchFigures.cluster();
        final BenchFigure figure = key.equals(cluster.key()) ? cluster : figures.get(key);
        if (figure != null)
        {
            System.out.println(Json.write(measure(figure)));
            return 0;
        }
        final BenchCurve curve = curves.get(key);
        if (curve != null)
        {
            System.out.println(Json.write(measure(curve)));
            return 0;
        }
        throw new UserException("no figure or curve '" + key + "'; 'launcher bench --list' lists them");
    }

    private void list(final Map<String, BenchFigure> figures, final Map<String, BenchCurve> curves)
    {
        if (!json)
        {
            for (final BenchFigure figure : figures.values())
            {
                System.out.printf("%-30s %s, %s (%s is better)%s; beside %s%n", figure.key(), figure.description(),
                    figure.unit(), figure.higherIsBetter() ? "higher" : "lower",
                    figure.target().isEmpty() ? "" : "; target " + figure.target(), String.join(", ", figure.peers()));
            }
            for (final BenchCurve curve : curves.values())
            {
                System.out.printf("%-30s curve: %s%n", curve.key(), curve.title());
            }
            final ClusterBench cluster = BenchFigures.cluster();
            System.out.printf("%-30s %s; measures %s%n", cluster.key(), cluster.description(),
                ClusterBench.PARTS.stream().map(ClusterBench.Part::key).toList());
            return;
        }
        final List<Object> declared = new ArrayList<>();
        for (final BenchFigure figure : figures.values())
        {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("key", figure.key());
            one.put("what", figure.description());
            one.put("unit", figure.unit());
            one.put("higherIsBetter", figure.higherIsBetter());
            one.put("target", figure.target());
            one.put("peers", figure.peers());
            one.put("perJdk", figure.perJdk());
            declared.add(one);
        }
        final List<Object> declaredCurves = new ArrayList<>();
        for (final BenchCurve curve : curves.values())
        {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("key", curve.key());
            one.put("title", curve.title());
            one.put("xLabel", curve.xLabel());
            one.put("yLabels", curve.yLabels());
            one.put("xs", curve.xs(quick));
            one.put("note", curve.note());
            one.put("baseline", curve.baseline());
            declaredCurves.add(one);
        }
        final ClusterBench cluster = BenchFigures.cluster();
        final List<Object> parts = new ArrayList<>();
        for (final ClusterBench.Part part : ClusterBench.PARTS)
        {
            final Map<String, Object> one = new LinkedHashMap<>();
            one.put("key", part.key());
            one.put("what", part.what());
            one.put("unit", part.unit());
            one.put("higherIsBetter", part.higherIsBetter());
            one.put("local", part.local());
            parts.add(one);
        }
        final Map<String, Object> declaredCluster = new LinkedHashMap<>();
        declaredCluster.put("key", cluster.key());
        declaredCluster.put("what", cluster.description());
        declaredCluster.put("figures", parts);
        final Map<String, Object> all = new LinkedHashMap<>();
        all.put("figures", declared);
        all.put("curves", declaredCurves);
        all.put("cluster", declaredCluster);
        System.out.println(Json.write(all));
    }

    /** {"figures": {key: {value, peers, extra}, sibling: {value, peers}}, "jdk": version}. */
    private Map<String, Object> measure(final BenchFigure figure) throws Exception
    {
        final Map<String, Object> measured = new LinkedHashMap<>();
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("value", figure.measure(quick));
        result.put("peers", figure.peerValues());
        result.put("extra", figure.extras());
        measured.put(figure.key(), result);
        for (final Map.Entry<String, Map<String, Double>> sibling : figure.siblings().entrySet())
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            final Map<String, Double> peers = new LinkedHashMap<>(sibling.getValue());
            values.put("value", peers.remove(BenchFigure.MP4J));
            values.put("peers", peers);
            measured.put(sibling.getKey(), values);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", figure.key());
        out.put("jdk", Runtime.version().toString());
        out.put("figures", measured);
        return out;
    }

    /** {"key", "xs", "panels": [{series: [y...]}]}. */
    private Map<String, Object> measure(final BenchCurve curve) throws Exception
    {
        final List<Object> panels = new ArrayList<>();
        for (final BenchCurve.Panel panel : curve.measure(quick))
        {
            final Map<String, Object> series = new LinkedHashMap<>();
            for (final Map.Entry<String, double[]> one : panel.series().entrySet())
            {
                final List<Double> ys = new ArrayList<>();
                for (final double y : one.getValue())
                {
                    ys.add(y);
                }
                series.put(one.getKey(), ys);
            }
            panels.add(series);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", curve.key());
        out.put("jdk", Runtime.version().toString());
        out.put("xs", curve.xs(quick));
        out.put("panels", panels);
        return out;
    }
}
