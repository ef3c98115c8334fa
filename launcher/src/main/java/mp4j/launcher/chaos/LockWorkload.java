package mp4j.launcher.chaos;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Workers add to a shared counter under one Lock, and count their own additions in the same critical section.
 * A worker killed while it holds the lock must not deadlock the others: the next one takes the lock, sees
 * {@code ownerDied()} and repairs the counter from the per-worker counts (POSIX's EOWNERDEAD protocol). At the end
 * the counter must equal the sum of the counts: exact for the work that completed.
 */
public final class LockWorkload implements ChaosWorkload
{
    @Override
    public String name()
    {
        return "lock";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int workers = 2 + random.nextInt(3);
        final int increments = 20_000 + random.nextInt(200_000);
        final Lock lock = new Lock();
        final Value counter = new Value('q', 0, false);
        final Array done = new Array('q', workers, false);
        final List<Process> processes = new ArrayList<>();
        for (int i = 0; i < workers; i++)
        {
            final Process p = new Process(AddUnderLock.class, lock, counter, done, i, increments).daemon(true).start();
            processes.add(p);
            events.worker(p.pid(), "worker", true);
        }
        events.emit("ready");
        long killed = 0;
        for (final Process p : processes)
        {
            if (!p.join(120_000))
            {
                throw new IllegalStateException("worker " + p.pid() + " did not end within 120 s: a deadlock?");
            }
            if (p.exitCode() != 0)
            {
                killed++;
            }
        }
        try (var held = lock.acquired())
        {
            if (lock.ownerDied())
            {
                repair(counter, done);
            }
            long sum = 0;
            for (int i = 0; i < workers; i++)
            {
                sum += done.get(i);
            }
            final long total = counter.get();
            final long complete = (workers - killed) * (long)increments;
            final long wrong = total == sum && sum >= complete ? 0 : 1;
            return new ChaosResult(workers, 0, 0, wrong, killed, "counter " + total + ", per-worker sum " + sum +
                (killed > 0 ? ", " + killed + " worker(s) killed" : ""));
        }
    }

    /** The repair a lock's next owner makes when the last one died inside the critical section. */
    static void repair(final Value counter, final Array done)
    {
        long sum = 0;
        for (int i = 0; i < done.length(); i++)
        {
            sum += done.get(i);
        }
        counter.set(sum);
    }

    /** Adds 1 to the counter and to its own count, under the lock, {@code increments} times. */
    public static final class AddUnderLock implements Target
    {
        @Override
        public void run(final Object... args)
        {
            final Lock lock = (Lock)args[0];
            final Value counter = (Value)args[1];
            final Array done = (Array)args[2];
            final int me = (Integer)args[3];
            final int increments = (Integer)args[4];
            for (int i = 0; i < increments; i++)
            {
                lock.acquire();
                try
                {
                    if (lock.ownerDied())
                    {
                        repair(counter, done);
                    }
                    counter.set(counter.get() + 1);
                    done.set(me, done.get(me) + 1);
                }
                finally
                {
                    lock.release();
                }
            }
        }
    }
}
