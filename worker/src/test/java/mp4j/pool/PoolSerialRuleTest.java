package mp4j.pool;

import example.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A pool's functions, arguments and results decode under the one serialization rule, within its bounds. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolSerialRuleTest
{
    private static Pool pool;

    @BeforeAll
    static void startPool()
    {
        pool = new Pool(new PoolConfig().processes(1).name("PoolSerialRuleTest"));
    }

    @AfterAll
    static void stopPool()
    {
        if (pool != null)
        {
            pool.terminate();
        }
    }

    /** Sets nested {@code depth} deep, each level's two sets in both sets above: hashing is 2^depth work. */
    static Set<Object> serialDos(final int depth)
    {
        final Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++)
        {
            final Set<Object> t1 = new HashSet<>();
            final Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    private static String messages(final Throwable error)
    {
        final StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause())
        {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void theSerialDosValueIsRefusedAndTheWorkerGoesOn()
    {
        final RuntimeException refused = assertThrows(RuntimeException.class,
            () -> pool.apply(args -> ((Set<?>)args[0]).size(), serialDos(30)));
        assertTrue(messages(refused).contains("maxsteps"), messages(refused));
        assertEquals(7, (int)pool.<Integer>apply(args -> 7), "the worker is free again");
    }

    @Test
    void theProgramsOwnClassesPassWithoutPoolConfigAllow()
    {
        final Order doubled = pool.apply(args -> new Order(((Order)args[0]).item(), 2 * ((Order)args[0]).quantity()),
            new Order("tea", 3));
        assertEquals(new Order("tea", 6), doubled);
        assertEquals(List.of(new Order("a", 1)), pool.map((Order o) -> o, List.of(new Order("a", 1))));
    }
}
