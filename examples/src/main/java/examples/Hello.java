package examples;

import mp4j.Multiprocessing;
import mp4j.process.Process;
import mp4j.sharedctypes.Value;

/** A Process and a Value: a worker JVM greets and adds to a counter in shared memory, under its lock. */
public final class Hello
{
    private Hello()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Value counter = new Value('i', 0);
        final Process process = new Process(a ->
        {
            System.out.println("hello " + a[0] + " from " + Multiprocessing.currentProcess().name() + ", child of " +
                Multiprocessing.parentProcess().name());
            try (var held = counter.getLock().acquired())
            {
                counter.set(counter.get() + 41);
            }
        }, "mp4j").name("greeter");
        process.start();
        process.join();
        counter.set(counter.get() + 1);
        System.out.println("exit code " + process.exitCode() + ", counter " + counter.get());
    }
}
