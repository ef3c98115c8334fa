package mp4j.managers;

import mp4j.process.Process;
import mp4j.queues.Empty;
import mp4j.queues.Full;
import mp4j.queues.Queue;
import mp4j.session.DirectoryEntry;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static mp4j.managers.ManagerLayout.*;

/**
 * This process's side of a manager's server ({@link ManagerServer}): starts it (once per manager, under the
 * manager's lock), sends requests and waits for their replies on a reply queue of its own, one call at a time per
 * process. While it waits it checks every {@link #POLL_MS} ms that the server is alive, so a call on a dead
 * server fails within that time, never hangs.
 */
final class ServerClient
{
    static final long POLL_MS = 20;

    private final Store store;
    private final ReentrantLock turn = new ReentrantLock();
    private Queue requests;
    private Queue replies;
    private long nextCall;
    private Process started;

    ServerClient(final Store store)
    {
        this.store = store;
    }

    static byte[] encode(final Object value)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = Scratch.CODEC.encode(value, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    static Object decode(final byte[] bytes)
    {
        return Scratch.CODEC.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    boolean hasServer()
    {
        return store.header.getIntVolatile(SERVER_QUEUE_OFFSET) != 0;
    }

    /** Starts the manager's server unless it has one; only one process of the session starts it. */
    void ensureServer(final Manager manager)
    {
        if (hasServer())
        {
            return;
        }
        if (Session.currentOrNull() != store.session)
        {
            throw new IllegalStateException("manager '" + store.name + "' can start its server only from a process " +
                "whose current session is its own");
        }
        store.lock();
        try
        {
            if (hasServer())
            {
                return;
            }
            final Queue queue = new Queue();
            final Process server = new Process(ManagerServer.class, queue, manager).name(store.name + "-server")
                .daemon(true).start();
            final ProcessTable table = store.session.processTable();
            final AtomicBuffer header = store.header;
            header.putInt(SERVER_SLOT_OFFSET, server.slot() + 1);
            header.putInt(SERVER_GENERATION_OFFSET, table.generation(server.slot()));
            header.putIntOrdered(SERVER_QUEUE_OFFSET, queue.entry().index() + 1); // last: the server is there
            started = server;
        }
        finally
        {
            store.unlock();
        }
    }

    /** The recorded server process's pid, 0 when there is none. */
    long serverPid()
    {
        final int slot = store.header.getIntVolatile(SERVER_SLOT_OFFSET) - 1;
        return slot >= 0 && slot < store.session.processTable().slotCount() ? store.session.processTable().pid(slot) : 0;
    }

    /** True while the recorded server process runs. */
    boolean serverAlive()
    {
        final int slot = store.header.getIntVolatile(SERVER_SLOT_OFFSET) - 1;
        final ProcessTable table = store.session.processTable();
        return slot >= 0 && slot < table.slotCount() &&
            table.generation(slot) == store.header.getInt(SERVER_GENERATION_OFFSET) && table.isAlive(slot);
    }

    private ServerDiedException died()
    {
        final int slot = store.header.getIntVolatile(SERVER_SLOT_OFFSET) - 1;
        final long pid = slot >= 0 ? store.session.processTable().pid(slot) : 0;
        return new ServerDiedException("the server process of manager '" + store.name + "' (pid " + pid + ") is " +
            "gone (killed, shut down, or ended with the process that started it): the objects it held are lost; " +
            "the manager's dicts, lists and namespaces are not");
    }

    /** Sends one request and waits for its reply: the decoded value, or the server's error as an exception. */
    Object call(final String op, final int objectId, final String name, final Object[] args)
    {
        if (!store.isOpen())
        {
            throw store.closed();
        }
        final byte[] encoded = encode(args);
        turn.lock();
        try
        {
            attach();
            if (!serverAlive())
            {
                throw died();
            }
            final long id = ++nextCall;
            requests.put(new Object[] {op, id, replies.entry().index(), objectId, name, encoded}, true,
                TimeUnit.SECONDS.toMillis(1));
            while (true)
            {
                final Object message;
                try
                {
                    message = replies.get(true, POLL_MS);
                }
                catch (final Empty ex)
                {
                    if (!serverAlive())
                    {
                        throw died();
                    }
                    continue;
                }
                if (message instanceof Object[] reply && reply.length == 3 && Long.valueOf(id).equals(reply[0]))
                {
                    if (Boolean.TRUE.equals(reply[1]))
                    {
                        return decode((byte[])reply[2]);
                    }
                    final String[] error = (String[])reply[2];
                    throw new RemoteCallException(error[0] + ": " + error[1] + " (in the server of manager '" +
                        store.name + "', " + op + " " + name + ")", error[0], error[2]);
                }
                // the reply to a call whose caller was interrupted: nobody wants it
            }
        }
        catch (final Full ex)
        {
            throw new IllegalStateException("the server of manager '" + store.name + "' takes no requests (its " +
                "queue stayed full for 1 s): it is stuck in a call", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server of manager '" + store.name +
                "'", ex);
        }
        finally
        {
            turn.unlock();
        }
    }

    private void attach()
    {
        if (requests == null)
        {
            final int index = store.header.getIntVolatile(SERVER_QUEUE_OFFSET) - 1;
            final DirectoryEntry entry = index >= 0 ? store.session.directory().entry(index) : null;
            if (entry == null)
            {
                throw new IllegalStateException("manager '" + store.name + "' has no server: register a type first");
            }
            requests = new Queue(store.session, entry);
        }
        if (replies == null)
        {
            replies = new Queue();
        }
    }

    /** Ends the server, if this manager has one that runs; waits for the one this process started. */
    void shutdown()
    {
        if (store.session.isClosed() || !hasServer() || !serverAlive())
        {
            return;
        }
        try
        {
            call(ManagerServer.SHUTDOWN, -1, "", new Object[0]);
        }
        catch (final RuntimeException ex)
        {
            // gone meanwhile: nothing to end
        }
        final Process server = started;
        if (server != null)
        {
            try
            {
                if (!server.join(5_000))
                {
                    server.kill();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
