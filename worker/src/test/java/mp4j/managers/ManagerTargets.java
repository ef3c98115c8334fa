package mp4j.managers;

import mp4j.process.Target;
import mp4j.sharedctypes.Array;

import java.util.Random;

/**
 * The updates ManagerProcessTest kills workers in the middle of, and their check. Each worker {@code w} keeps four
 * counters in an Array outside the manager, raised only after the call returned (acknowledged): merges of key
 * {@code m<w>}, puts of keys {@code p<w>:<j>}, appends of {@code w << 32 | j}, and removes of its put keys 100
 * behind.
 */
public final class ManagerTargets
{
    static final int COUNTERS = 4;
    private static final int MERGES = 0;
    private static final int PUTS = 1;
    private static final int APPENDS = 2;
    private static final int REMOVES = 3;
    private static final int WINDOW = 100;

    private ManagerTargets()
    {
    }

    static String putKey(final int worker, final long j)
    {
        return "p" + worker + ":" + j;
    }

    static Object putValue(final long j)
    {
        return j % 37 == 0 ? "v".repeat(2000) + j : (Object)j; // some large, most small
    }

    /** args: dict, list, acks Array('q', 4 * workers), worker index, milliseconds to run. */
    public static final class Updates implements Target
    {
        @Override
        @SuppressWarnings("unchecked")
        public void run(final Object... args)
        {
            final SharedDict<String, Object> d = (SharedDict<String, Object>)args[0];
            final SharedList<Long> l = (SharedList<Long>)args[1];
            final Array acked = (Array)args[2];
            final int w = (Integer)args[3];
            final long end = System.nanoTime() + (Long)args[4] * 1_000_000L;
            final Random random = new Random(w);
            final int at = COUNTERS * w;
            long merges = 0;
            long puts = 0;
            long appends = 0;
            while (System.nanoTime() < end)
            {
                switch (random.nextInt(3))
                {
                    case 0 ->
                    {
                        d.merge("m" + w, 1, (a, b) -> (Integer)a + (Integer)b);
                        acked.set(at + MERGES, ++merges);
                    }
                    case 1 ->
                    {
                        d.put(putKey(w, puts), putValue(puts));
                        acked.set(at + PUTS, ++puts);
                        if (puts > WINDOW)
                        {
                            d.remove(putKey(w, puts - WINDOW - 1));
                            acked.set(at + REMOVES, puts - WINDOW);
                        }
                    }
                    default ->
                    {
                        l.add(((long)w << 32) | appends);
                        acked.set(at + APPENDS, ++appends);
                    }
                }
            }
        }
    }

    /** What {@link DieAtWrite} exits with: mp4j.managers.Store halts with it. */
    static final int HALTED = 99;

    /**
     * args: dict, list, update ("merge", "put", "append" or "insert"), k: makes the update, and halts this process
     * at its k-th logged write (a test switch of mp4j.managers.Store, set by reflection).
     */
    public static final class DieAtWrite implements Target
    {
        @Override
        @SuppressWarnings("unchecked")
        public void run(final Object... args) throws Exception
        {
            final SharedDict<String, Object> d = (SharedDict<String, Object>)args[0];
            final SharedList<Object> l = (SharedList<Object>)args[1];
            d.size(); // attach before the switch is set: only the update counts writes
            l.size();
            final Class<?> store = Class.forName("mp4j.managers.Store");
            final java.lang.reflect.Field halt = store.getDeclaredField("haltOnFail");
            final java.lang.reflect.Field after = store.getDeclaredField("failAfterWrites");
            halt.setAccessible(true);
            after.setAccessible(true);
            halt.setBoolean(null, true);
            after.setInt(null, (Integer)args[3]);
            switch ((String)args[2])
            {
                case "merge" -> d.merge("k1", 10, (a, b) -> (Integer)a + (Integer)b);
                case "put" -> d.put("new", "x".repeat(3000));
                case "append" -> l.add("appended");
                default -> l.add(2, "inserted");
            }
            after.setInt(null, 0);
        }
    }

    /** Lost, repeated and wrong updates: all 0 when every acknowledged update is there exactly once. */
    record Verdict(long checked, long lost, long duplicated, long wrong)
    {
    }

    static Verdict verify(
        final SharedDict<String, Object> d, final SharedList<Long> l, final Array acked, final int workers)
    {
        long checked = 0;
        long lost = 0;
        long duplicated = 0;
        long wrong = 0;
        for (int w = 0; w < workers; w++)
        {
            final int at = COUNTERS * w;
            final Object merged = d.get("m" + w);
            final long merges = merged == null ? 0 : ((Integer)merged).longValue();
            final long mergesAcked = acked.get(at + MERGES);
            checked += mergesAcked;
            lost += merges < mergesAcked ? mergesAcked - merges : 0;
            duplicated += merges > mergesAcked + 1 ? merges - mergesAcked - 1 : 0;

            final long puts = acked.get(at + PUTS);
            final long removes = acked.get(at + REMOVES);
            checked += puts + removes;
            for (long j = Math.max(0, removes - 2); j <= puts + 1; j++)
            {
                final Object value = d.get(putKey(w, j));
                final boolean mayBe = j == removes || j == puts; // the call in flight when it was killed
                final boolean mustBe = j > removes && j < puts;
                if (value == null && mustBe)
                {
                    lost++;
                }
                else if (value != null && !mustBe && !mayBe)
                {
                    duplicated++; // a removed key back, or a put that never returned and was not in flight
                }
                else if (value != null && !value.equals(putValue(j)))
                {
                    wrong++;
                }
            }

            final long appendsAcked = acked.get(at + APPENDS);
            checked += appendsAcked;
            long next = 0;
            for (final long element : l.copy())
            {
                if ((element >>> 32) != w)
                {
                    continue;
                }
                final long j = element & 0xFFFF_FFFFL;
                if (j < next)
                {
                    duplicated++;
                }
                else if (j > next)
                {
                    lost += j - next;
                    next = j + 1;
                }
                else
                {
                    next++;
                }
            }
            lost += next < appendsAcked ? appendsAcked - next : 0;
            duplicated += next > appendsAcked + 1 ? next - appendsAcked - 1 : 0;
        }
        return new Verdict(checked, lost, duplicated, wrong);
    }
}
