package examples;

import mp4j.pool.Pool;

import java.util.List;
import java.util.stream.IntStream;

/** Pool.map over worker JVMs, as Python's {@code Pool(4).map(f, range(10))}. */
public final class PoolMap
{
    private PoolMap()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final List<Integer> numbers = IntStream.range(0, 10).boxed().toList();
        try (Pool pool = new Pool(4))
        {
            final List<Integer> squares = pool.map((Integer x) -> x * x, numbers);
            System.out.println("squares " + squares);
            System.out.println("sum " + squares.stream().mapToInt(Integer::intValue).sum());
        }
    }
}
