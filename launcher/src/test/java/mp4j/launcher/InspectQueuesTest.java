package mp4j.launcher;

import mp4j.queues.JoinableQueue;
import mp4j.queues.Pipe;
import mp4j.queues.Queue;
import mp4j.session.Session;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The inspector's line for queues and pipe ends: depth, capacity, producers and consumers. */
class InspectQueuesTest
{
    @Test
    void showsDepthCapacityAndCounts() throws Exception
    {
        final Session session = Session.current();
        final JoinableQueue queue = JoinableQueue.create(session, "inspected-queue", 5, 8192);
        queue.put("a");
        queue.put("b");
        queue.put("c");
        queue.get();
        final Pipe pipe = Pipe.create(session, "inspected-pipe", true, 4096);
        pipe.conn1().send(1);
        pipe.conn1().send(2);
        final Cli json = Cli.run("inspect", session.file().toString(), "--json");
        assertEquals(0, json.exitCode(), json.err());
        final String out = json.out();
        final int q = out.indexOf("\"name\":\"inspected-queue\"");
        assertTrue(q >= 0, out);
        final String queueLine = out.substring(q, out.indexOf('}', out.indexOf("\"depth\"", q)) + 1);
        assertTrue(queueLine.contains("\"kind\":\"JOINABLE_QUEUE\""), queueLine);
        assertTrue(queueLine.contains("\"depth\":2,\"maxsize\":5,\"capacity\":8192,\"producers\":1,\"consumers\":1"),
            queueLine);
        assertTrue(queueLine.contains("\"unfinished\":3"), queueLine);
        final int p = out.indexOf("\"name\":\"inspected-pipe.1\"");
        assertTrue(p >= 0, out);
        final String pipeLine = out.substring(p, out.indexOf('}', out.indexOf("\"end\"", p)) + 1);
        assertTrue(pipeLine.contains("\"end\":1,\"duplex\":true,\"capacity\":4096,\"depth\":2,\"sentUnread\":0"),
            pipeLine);
        final Cli text = Cli.run("inspect", session.file().toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("inspected-queue"), text.out());
    }

    /** The number after {@code "key": } (or {@code "key":}) in the JSON object that starts at {@code from}. */
    private static long number(final String json, final int from, final String key)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\": ?(-?\\d+)").matcher(json);
        assertTrue(m.find(from), key + " after " + from + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void bothInspectorsCountWhatAQueueSpilled() throws Exception
    {
        final Session session = Session.current();
        final Queue queue = Queue.create(session, "spilled-queue", 0, 4096); // holds a few hundred values
        for (int i = 0; i < 2000; i++)
        {
            queue.put(i);
        }
        queue.get();
        final Cli json = Cli.run("inspect", session.file().toString(), "--json");
        assertEquals(0, json.exitCode(), json.err());
        final String java = json.out();
        final int q = java.indexOf("\"name\":\"spilled-queue\"");
        assertTrue(q >= 0, java);
        final int start = java.lastIndexOf('{', q);
        assertEquals(1999, number(java, start, "depth"));
        final long spilled = number(java, start, "spilled");
        assertTrue(spilled > 1000 && spilled < 1999, java);
        assertTrue(number(java, start, "spillBytes") >= 1 << 20, java);
        if (InspectPyTest.hasPython())
        {
            final String py = InspectPyTest.run("python3", InspectPyTest.script("inspect.py").toString(), "--json",
                session.file().toString());
            assertTrue(py.startsWith("0\n"), py);
            final int p = py.indexOf("\"name\": \"spilled-queue\"");
            assertEquals(1999, number(py, p, "depth"), py);
            assertEquals(spilled, number(py, p, "spilled"), py);
        }
        while (!queue.empty())
        {
            queue.get();
        }
    }
}
