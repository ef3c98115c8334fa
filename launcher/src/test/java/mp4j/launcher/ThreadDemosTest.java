package mp4j.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The three threading demos print what the lecture's files teach, and their figures add up. */
class ThreadDemosTest
{
    @Test
    void threadLocalGivesEachThreadItsOwnValue()
    {
        final Cli cli = Cli.run("thread-local", "5");
        assertEquals(0, cli.exitCode(), cli.err());
        for (int i = 0; i < 5; i++)
        {
            assertTrue(cli.out().contains("thread-" + i + "   mydata = 'data of thread-" + i + "'"), cli.out());
        }
        assertTrue(cli.out().contains("main       mydata = (nothing: never set here)"), cli.out());
        assertTrue(cli.out().contains("5 of 5 threads got their own value back"), cli.out());

        final Cli json = Cli.run("thread-local", "3", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("{\"thread\":\"thread-2\",\"threadLocal\":\"data of thread-2\""), json.out());
    }

    @Test
    void threadLocalRejectsZeroThreads()
    {
        assertEquals(2, Cli.run("thread-local", "0").exitCode());
        assertEquals(2, Cli.run("thread-local-adv", "0").exitCode());
    }

    @Test
    void threadLocalAdvMeasuresAllThreeCountersAndTheyCountRight()
    {
        final Cli cli = Cli.run("thread-local-adv", "2", "--iterations", "200000");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("2 threads, 200,000 increments each"), cli.out());
        assertTrue(cli.out().contains("boxed Long"), cli.out());
        assertTrue(cli.out().contains("primitive long[1]"), cli.out());
        assertTrue(cli.out().contains("off-heap 8 bytes"), cli.out());
        assertFalse(cli.out().contains("WRONG COUNT"), cli.out());

        final Cli json = Cli.run("thread-local-adv", "1", "--iterations", "100000", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"variant\":\"boxed\""), json.out());
        assertTrue(json.out().contains("\"variant\":\"off_heap\""), json.out());
        assertFalse(json.out().contains("\"correct\":false"), json.out());
    }

    @Test
    void threadQueueSingleAndMultiAgreeOnTheCount()
    {
        final Cli single = Cli.run("thread-queue", "single", "--jobs", "8", "--job-size", "5000");
        assertEquals(0, single.exitCode(), single.err());
        // primes below 40,000: 4203
        assertTrue(single.out().contains("single thread:        4,203 primes"), single.out());

        final Cli multi = Cli.run("thread-queue", "multi", "3", "--jobs", "8", "--job-size", "5000");
        assertEquals(0, multi.exitCode(), multi.err());
        assertTrue(multi.out().contains("3   threads:          4,203 primes"), multi.out());
        assertTrue(multi.out().contains("speed-up: "), multi.out());
        assertTrue(multi.out().contains("no GIL"), multi.out());

        final Cli json = Cli.run("thread-queue", "multi", "2", "--jobs", "6", "--job-size", "1000", "--json");
        assertEquals(0, json.exitCode(), json.err());
        // primes below 6,000: 783; every job is taken exactly once
        assertTrue(json.out().contains("\"primes\":783"), json.out());
        assertTrue(json.out().contains("\"agree\":true"), json.out());
        final String perWorker = json.out().replaceAll(".*\"jobsPerWorker\":\\[([0-9,]*)\\].*\\s*", "$1");
        int total = 0;
        for (final String n : perWorker.split(","))
        {
            total += Integer.parseInt(n.trim());
        }
        assertEquals(6, total, json.out());
    }

    @Test
    void threadQueueProcessModeRunsTheJobsOnAPool()
    {
        final Cli cli = Cli.run("thread-queue", "process", "2", "--jobs", "8", "--job-size", "5000");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("2   processes:        4,203 primes"), cli.out());
        assertTrue(cli.out().contains("jobs taken per worker"), cli.out());
    }

    @Test
    void threadQueueRejectsAnUnknownMode()
    {
        final Cli cli = Cli.run("thread-queue", "fork", "2");
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("MODE must be one of single, multi"), cli.err());
    }
}
