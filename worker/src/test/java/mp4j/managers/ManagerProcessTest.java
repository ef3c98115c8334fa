package mp4j.managers;

import mp4j.pool.Pool;
import mp4j.process.Process;
import mp4j.queues.Queue;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Lock;
import mp4j.testing.StartedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A manager's containers across worker JVMs, after CPython's manager tests (containers passed to processes and
 * pools, nested proxies, a manager shut down under its users), and under kill -9 at random points of updates:
 * no acknowledged update lost or repeated, no hang, no block lost.
 */
@Timeout(300)
class ManagerProcessTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    private Process start(final Process process)
    {
        return started.track(process).daemon(true).start();
    }

    private static void assertWhole(final Manager manager)
    {
        final ManagerCheck check = manager.check();
        assertTrue(check.ok(), check.toString());
    }

    private static void joinAll(final List<Process> processes) throws InterruptedException
    {
        for (final Process p : processes)
        {
            assertTrue(p.join(120_000), p.name() + " did not finish");
            assertEquals(0, p.exitCode(), p.name() + " failed");
        }
    }

    @Test
    void processesShareADictAListAndANamespace() throws Exception
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> counts = manager.dict();
            final SharedList<Long> pids = manager.list();
            final Namespace ns = manager.namespace();
            final Lock lock = manager.lock();
            final int procs = 4;
            final int each = 2_000;
            final List<Process> processes = new ArrayList<>();
            for (int i = 0; i < procs; i++)
            {
                processes.add(start(new Process(args ->
                {
                    final int n = (Integer)args[0];
                    for (int j = 0; j < n; j++)
                    {
                        counts.merge("merged", 1, Integer::sum);       // atomic by itself
                        try (var held = lock.acquired())             // Python's way: with lock: d[k] = d.get(k, 0) + 1
                        {
                            counts.put("locked", counts.getOrDefault("locked", 0) + 1);
                        }
                    }
                    pids.add(ProcessHandle.current().pid());
                    ns.set("last", ProcessHandle.current().pid());
                }, each)));
            }
            joinAll(processes);
            assertEquals(Map.of("merged", procs * each, "locked", procs * each), counts);
            final Set<Long> expected = new HashSet<>();
            for (final Process p : processes)
            {
                expected.add(p.pid());
            }
            assertEquals(expected, new HashSet<>(pids));
            assertTrue(expected.contains(ns.<Long>get("last")));
            assertWhole(manager);
        }
    }

    @Test
    void poolTasksAndQueuesCarryProxies() throws Exception
    {
        try (Manager manager = new Manager(); Pool pool = new Pool(2))
        {
            final SharedDict<Integer, Integer> squares = manager.dict();
            final List<Integer> results = pool.map((Integer x) ->
            {
                squares.put(x, x * x);
                return squares.size() > 0 ? x : -1;
            }, List.of(1, 2, 3, 4, 5, 6, 7, 8));
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), results);
            assertEquals(Map.of(1, 1, 2, 4, 3, 9, 4, 16, 5, 25, 6, 36, 7, 49, 8, 64), squares);

            final Queue queue = manager.queue();
            final SharedList<String> inbox = manager.list();
            queue.put(inbox); // a proxy through a queue: the receiver gets the same list
            final Process p = start(new Process(args ->
            {
                @SuppressWarnings("unchecked")
                final SharedList<String> got = (SharedList<String>)((Queue)args[0]).get();
                got.add("from the child");
            }, queue));
            joinAll(List.of(p));
            assertEquals(List.of("from the child"), inbox);
            assertWhole(manager);
        }
    }

    /** CPython's test_dict_proxy_nested and test_list_proxy_in_list, with the nested proxies used from a child. */
    @Test
    void nestedProxies() throws Exception
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> pets = manager.dict(Map.of("ferrets", 2, "hamsters", 4));
            final SharedDict<String, Integer> supplies = manager.dict(Map.of("water", 10, "feed", 3));
            final SharedDict<String, Object> d = manager.dict();
            d.put("pets", pets);
            d.put("supplies", supplies);
            assertEquals(10, supplies.get("water"));
            @SuppressWarnings("unchecked")
            final SharedDict<String, Integer> nested = (SharedDict<String, Integer>)d.get("supplies");
            assertEquals(10, nested.get("water"));
            nested.put("blankets", 5);
            assertEquals(5, supplies.get("blankets"));

            final SharedList<Object> outer = manager.list();
            outer.add(manager.list(List.of(0, 1, 2)));
            outer.add(List.of(88, 99)); // an ordinary list is copied in, as Python's
            final Process p = start(new Process(args ->
            {
                @SuppressWarnings("unchecked")
                final SharedDict<String, Object> top = (SharedDict<String, Object>)args[0];
                @SuppressWarnings("unchecked")
                final SharedDict<String, Integer> s = (SharedDict<String, Integer>)top.get("supplies");
                s.put("water", 7);
                @SuppressWarnings("unchecked")
                final SharedList<Integer> inner = (SharedList<Integer>)((SharedList<?>)args[1]).get(0);
                inner.set(2, 55);
                // a container made by the child, nested into the parent's
                final Manager m = (Manager)args[2];
                final SharedList<String> made = m.list(List.of("made", "by", "child"));
                top.put("child", made);
            }, d, outer, manager));
            joinAll(List.of(p));
            assertEquals(7, supplies.get("water"));
            assertEquals(List.of(0, 1, 55), outer.get(0));
            assertInstanceOf(SharedList.class, outer.get(0));
            assertFalse(outer.get(1) instanceof SharedList, "an ordinary list stays an ordinary list");
            assertEquals(List.of("made", "by", "child"), d.get("child"));
            d.clear();
            assertEquals(0, d.size());
            assertEquals(7, supplies.get("water"), "clearing a dict leaves the containers it referred to");
            assertEquals(4, pets.get("hamsters"));
            assertWhole(manager);
        }
    }

    /** CPython's test_nested_queue, and a list holding itself (test_list_proxy_in_list). */
    @Test
    void queuesAndTheListItselfAsValues() throws Exception
    {
        try (Manager manager = new Manager())
        {
            final SharedList<Object> a = manager.list();
            a.add(manager.queue());
            ((Queue)a.get(0)).put(123);
            assertEquals(123, ((Queue)a.get(0)).get());
            final SharedDict<Integer, Object> b = manager.dict();
            b.put(0, manager.queue());
            ((Queue)b.get(0)).put(456);
            final Process p = start(new Process(args ->
            {
                @SuppressWarnings("unchecked")
                final SharedDict<Integer, Object> d = (SharedDict<Integer, Object>)args[0];
                final Queue q = (Queue)d.get(0);
                q.put((Integer)q.get() + 1); // 457, from the child, through the queue found in the dict
            }, b));
            joinAll(List.of(p));
            assertEquals(457, ((Queue)b.get(0)).get());
            a.add(a);
            assertSame(SharedList.class, a.get(1).getClass());
            assertEquals(a.id(), ((SharedList<?>)a.get(1)).id());
            assertEquals(2, ((SharedList<?>)a.get(1)).size());
            assertWhole(manager);
        }
    }

    @Test
    void aManagerShutDownFailsItsUsersInOtherProcessesAtOnce() throws Exception
    {
        final Manager manager = new Manager();
        final SharedDict<String, Integer> d = manager.dict();
        final Value outcome = new Value('i', 0);
        final Process p = start(new Process(args ->
        {
            final Value out = (Value)args[0];
            try
            {
                for (int i = 0; ; i++)
                {
                    d.put("k" + (i % 100), i);
                    if (i == 1000)
                    {
                        out.set(1); // running
                    }
                }
            }
            catch (final ManagerClosedException ex)
            {
                out.set(2);
            }
        }, outcome));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outcome.get() == 0 && System.nanoTime() < deadline && p.isAlive())
        {
            Thread.sleep(1);
        }
        assertEquals(1, outcome.get(), "the child did not start putting");
        manager.close();
        joinAll(List.of(p));
        assertEquals(2, outcome.get(), "the child's next call must fail with ManagerClosedException");
        assertThrows(ManagerClosedException.class, () -> d.get("k1"));
    }

    /**
     * No process owns a manager: one made by a child that is then killed keeps serving the others (Python's
     * proxies fail once their manager's process is gone).
     */
    @Test
    void aManagerOutlivesTheProcessThatMadeIt() throws Exception
    {
        final Queue handover = new Queue();
        final Process maker = start(new Process(args ->
        {
            final Manager manager = new Manager();
            final SharedDict<String, Integer> d = manager.dict();
            d.put("made by", (int)ProcessHandle.current().pid());
            ((Queue)args[0]).put(manager);
            ((Queue)args[0]).put(d);
            Thread.sleep(600_000); // until killed
        }, handover));
        try (Manager manager = (Manager)handover.get())
        {
            @SuppressWarnings("unchecked")
            final SharedDict<String, Integer> d = (SharedDict<String, Integer>)handover.get();
            maker.kill();
            assertTrue(maker.join(10_000));
            assertEquals((int)maker.pid(), d.get("made by"));
            d.merge("made by", 1, Integer::sum);
            assertEquals((int)maker.pid() + 1, d.get("made by"));
            assertWhole(manager);
        }
    }

    /** A process killed while it holds the manager's lock (inside a compute) does not block the others. */
    @Test
    void aHolderKilledInsideAnUpdateIsRecovered() throws Exception
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> d = manager.dict();
            d.put("x", 1);
            final Value holding = new Value('i', 0);
            final Process holder = start(new Process(args ->
            {
                final Value flag = (Value)args[0];
                d.compute("x", (k, v) ->
                {
                    flag.set(1);
                    try
                    {
                        Thread.sleep(600_000);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    return v + 100;
                });
            }, holding));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (holding.get() == 0 && System.nanoTime() < deadline && holder.isAlive())
            {
                Thread.sleep(1);
            }
            assertEquals(1, holding.get());
            holder.kill();
            holder.join(10_000);
            assertEquals(1, d.get("x"), "the killed update did not happen");
            assertEquals(2, d.merge("x", 1, Integer::sum));
            assertWhole(manager);
        }
    }

    /**
     * A process dies (halts) at the k-th write of an update, for every other k until the update has fewer writes:
     * it leaves the lock held and its undo rows behind, and the next process to call undoes the update whole.
     */
    @Test
    void anUpdateCutShortByItsProcessDyingIsUndoneByTheNextProcess() throws Exception
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Object> d = manager.dict();
            final SharedList<Object> l = manager.list();
            for (int i = 0; i < 6; i++)
            {
                d.put("k" + i, i);
                l.add(i);
            }
            for (final String update : List.of("merge", "insert")) // every write of every update: ManagerTest
            {
                for (int k = 1; ; k += 2)
                {
                    final Map<String, Object> before = d.copy();
                    final List<Object> listBefore = l.copy();
                    final long undone = manager.check().undone();
                    final Process p = start(new Process(ManagerTargets.DieAtWrite.class, d, l, update, k));
                    assertTrue(p.join(60_000));
                    if (p.exitCode() == 0)
                    {
                        break; // the update has fewer than k writes: it ran whole
                    }
                    assertEquals(ManagerTargets.HALTED, p.exitCode(), update + " at write " + k);
                    assertEquals(before, d.copy(), update + " cut at write " + k);
                    assertEquals(listBefore, l.copy(), update + " cut at write " + k);
                    final ManagerCheck check = manager.check();
                    assertTrue(check.ok(), check.toString());
                    assertEquals(undone + (k > 1 ? 1 : 0), check.undone(), // at write 1 nothing was written yet
                        "the next process undid it");
                }
            }
        }
    }

    /**
     * Workers merge, put and append as fast as they can, each acknowledging an update (in an Array outside the
     * manager) only once its call has returned; one is killed with kill -9 at a random moment, several times.
     * Every acknowledged update is there exactly once, the one in flight is there once or not at all, and no block
     * of the manager is lost.
     */
    @Test
    void workersKilledAtRandomPointsLoseAndRepeatNothing() throws Exception
    {
        final Random random = new Random(12);
        for (int round = 0; round < 3; round++)
        {
            try (Manager manager = new Manager())
            {
                final int workers = 3;
                final SharedDict<String, Object> d = manager.dict();
                final SharedList<Long> l = manager.list();
                final Array acked = new Array('q', ManagerTargets.COUNTERS * workers, false);
                final List<Process> processes = new ArrayList<>();
                for (int w = 0; w < workers; w++)
                {
                    processes.add(start(new Process(ManagerTargets.Updates.class, d, l, acked, w, 1_500L)));
                }
                final Process victim = processes.get(random.nextInt(workers));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (acked.get(ManagerTargets.COUNTERS * workers - 3) < 300 && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                Thread.sleep(random.nextInt(300));
                victim.kill();
                for (final Process p : processes)
                {
                    assertTrue(p.join(120_000), "a worker hung");
                }
                final ManagerTargets.Verdict verdict = ManagerTargets.verify(d, l, acked, workers);
                assertEquals(new ManagerTargets.Verdict(verdict.checked(), 0, 0, 0), verdict);
                assertTrue(verdict.checked() > 1000, verdict.toString());
                assertWhole(manager);
            }
        }
    }
}
