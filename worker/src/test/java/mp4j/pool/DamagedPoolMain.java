package mp4j.pool;

import mp4j.session.Session;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A pool's parent JVM for {@link PoolDamageTest}, whose session file the test damages. Prints
 * "ready SESSION_FILE WORKER_PID...", waits for "go" on stdin, maps {@code items} tasks of {@code sleepMs} each over
 * {@code processes} workers, prints "ok" or "error CLASS: MESSAGE", closes the pool and exits 0.
 */
public final class DamagedPoolMain
{
    private DamagedPoolMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int processes = Integer.parseInt(args[0]);
        final int items = Integer.parseInt(args[1]);
        final int sleepMs = Integer.parseInt(args[2]);
        try (Pool pool = new Pool(new PoolConfig().processes(processes).name("damaged")))
        {
            if (!pool.awaitWorkers(60, TimeUnit.SECONDS))
            {
                System.out.println("error the workers did not start");
                return;
            }
            final StringBuilder ready = new StringBuilder("ready " + Session.current().file());
            for (final WorkerRecord worker : pool.workers())
            {
                ready.append(' ').append(worker.pid());
            }
            System.out.println(ready);
            System.out.flush();
            final String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"go".equals(go))
            {
                return;
            }
            final List<Integer> input = IntStream.range(0, items).boxed().collect(Collectors.toList());
            try
            {
                final List<Integer> squares = pool.map((Integer x) ->
                {
                    Thread.sleep(sleepMs);
                    return x * x;
                }, input, 1);
                final List<Integer> expected = new ArrayList<>();
                input.forEach(x -> expected.add(x * x));
                System.out.println(squares.equals(expected) ? "ok" : "wrong " + squares);
            }
            catch (final RuntimeException ex)
            {
                System.out.println("error " + ex.getClass().getName() + ": " + ex.getMessage());
            }
            System.out.flush();
        }
        System.out.println("closed");
        System.out.flush();
    }
}
