package mp4j.launcher;

import mp4j.launcher.bench.BenchFigure;
import mp4j.launcher.bench.BenchFigures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures one headline figure on the mp4j side and prints it as JSON.",
        "scripts/bench runs every figure here and its Python twin, side by side, several times."})
final class BenchCommand implements Callable<Integer>
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "The figure's key; see --list.")
    String key;

    @Option(names = "--list", description = "List the figures' keys and descriptions.")
    boolean list;

    @Option(names = "--quick", description = "A short run.")
    boolean quick;

    @Override
    public Integer call() throws Exception
    {
        final Map<String, BenchFigure> figures = BenchFigures.all();
        if (list || key == null)
        {
            for (final BenchFigure figure : figures.values())
            {
                System.out.printf("%-28s %s (%s is better)%n", figure.key(), figure.description(),
                    figure.higherIsBetter() ? "higher" : "lower");
            }
            return 0;
        }
        final BenchFigure figure = figures.get(key);
        if (figure == null)
        {
            throw new UserException("no figure '" + key + "'; 'launcher bench --list' lists them");
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("key", figure.key());
        result.put("value", figure.measure(quick));
        result.put("higherIsBetter", figure.higherIsBetter());
        result.put("extra", figure.extras());
        System.out.println(Json.write(result));
        return 0;
    }
}
