package mp4j.launcher;

import mp4j.queues.JoinableQueue;
import mp4j.queues.Pipe;
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
}
