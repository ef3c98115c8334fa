package mp4j.pool;

import mp4j.codec.SerialFilter;
import mp4j.codec.ValueCodec;
import mp4j.process.Doorbell;
import mp4j.process.Target;
import mp4j.queues.RingFraming;
import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.io.ObjectInputFilter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;

/**
 * The loop a pool's worker JVM runs, as CPython's {@code multiprocessing.pool.worker}: take a task from its ring,
 * run it, put the result on the other ring, until told to stop or {@code maxtasksperchild} tasks are done.
 * <p>
 * Arguments (from {@link Pool}): pool directory index, worker position, maxtasksperchild (0: no limit), extra
 * allowed class patterns for arguments, initializer (or null), its arguments.
 */
public final class PoolWorker implements Target
{
    private static final long serialVersionUID = 1L;

    static final int TASKS_DONE = 0;
    static final int TASKS_FAILED = 1;
    static final int TASKS_IN_FLIGHT = 2;
    /** {@code -Dmp4j.pool.doorbell=false}: idle workers park instead, for comparisons. */
    private static final boolean DOORBELL = !"false".equals(System.getProperty("mp4j.pool.doorbell"));

    private transient ValueCodec functionCodec;
    private transient ValueCodec valueCodec;
    private transient Int2ObjectHashMap<Object> functions;
    private transient RingFraming.Writer results;
    private transient ExpandableArrayBuffer out;
    private transient IdleStrategy idle;
    private transient ProcessTable table;
    private transient int slot;
    private transient boolean stopped;
    private transient long tasksDone;
    private transient long tasksSucceeded;
    private transient long tasksFailed;

    /** Made in the worker JVM from this class's name; it holds nothing until {@link #run} is given its arguments. */
    public PoolWorker()
    {
    }

    @Override
    public void run(final Object... args) throws Exception
    {
        final int poolIndex = (Integer)args[0];
        final int position = (Integer)args[1];
        final int maxTasks = (Integer)args[2];
        final String allow = (String)args[3];
        final StarFunction<?> initializer = (StarFunction<?>)args[4];
        final Object[] initArgs = (Object[])args[5];

        final Session session = Session.current();
        final DirectoryEntry entry = session.directory().entry(poolIndex);
        if (entry == null)
        {
            throw new IllegalStateException("pool #" + poolIndex + " is not in session " + session.name());
        }
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        final int ringCapacity = buffer.getInt(base + PoolLayout.RING_CAPACITY_OFFSET);
        final int at = PoolLayout.position(base, ringCapacity, position);
        final OneToOneRingBuffer tasks = PoolLayout.taskRing(buffer, at, ringCapacity);
        results = new RingFraming.Writer(PoolLayout.resultRing(buffer, at, ringCapacity));
        out = new ExpandableArrayBuffer(4096);
        // Functions, arguments and results all decode under the one rule (SerialFilter), with the pool's allow.
        valueCodec = new ValueCodec(SerialFilter.of(allow));
        functionCodec = valueCodec;
        functions = new Int2ObjectHashMap<>();
        idle = RoundTripIdle.create(RoundTripIdle.MAX_PARK_NANOS, DOORBELL);
        table = session.processTable();
        slot = CurrentSlot.get();

        if (initializer != null)
        {
            initializer.apply(initArgs == null ? new Object[0] : initArgs);
        }
        buffer.putIntOrdered(at + PoolLayout.READY_OFFSET, 1);
        final RingInbox inbox = new RingInbox(this::onMessage);
        long answered = 0;
        while (!stopped && (maxTasks <= 0 || tasksDone < maxTasks))
        {
            // The probe is read before the ring: an empty ring then means that every task written before the
            // probe was run already (see PoolHandler#probe). Empty means nothing read and nothing passed over: a
            // read that only skipped the padding at the ring's end returns 0 too, with a message waiting at its start.
            final long probe = buffer.getLongVolatile(at + PoolLayout.PROBE_OFFSET);
            final long head = tasks.consumerPosition();
            if (tasks.read(inbox, 1) == 0)
            {
                if (probe != answered && tasks.consumerPosition() == head)
                {
                    buffer.putLongOrdered(at + PoolLayout.PROBE_ANSWERED_OFFSET, probe);
                    answered = probe;
                }
                if (!sleepAtDoorbell(buffer, at, tasks, answered))
                {
                    idle.idle();
                }
            }
            else
            {
                idle.reset();
            }
        }
    }

    /**
     * Waits at the doorbell (see {@link Doorbell}) instead of parking, once the wait is sleepy (RoundTripIdle): says so
     * in the position's {@code asleep}, looks once more for a task or a probe (the owner writes those, then reads
     * {@code asleep}), and blocks until rung. False when it did not wait: not yet sleepy, or no doorbell.
     */
    private boolean sleepAtDoorbell(final AtomicBuffer buffer, final int at, final OneToOneRingBuffer tasks,
        final long answered)
    {
        if (!DOORBELL || !Doorbell.canRing() || !(idle instanceof RoundTripIdle roundTrip) || !roundTrip.sleepy())
        {
            return false;
        }
        buffer.putIntVolatile(at + PoolLayout.ASLEEP_OFFSET, 1);
        boolean rung = true;
        if (tasks.producerPosition() == tasks.consumerPosition() &&
            buffer.getLongVolatile(at + PoolLayout.PROBE_OFFSET) == answered)
        {
            rung = Doorbell.await();
        }
        buffer.putIntOrdered(at + PoolLayout.ASLEEP_OFFSET, 0);
        return rung;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte kind = buffer.getByte(offset + PoolMessages.KIND);
        switch (kind)
        {
            case PoolMessages.DEFINE -> define(buffer, offset, length);
            case PoolMessages.TASK -> runTask(buffer, offset, length);
            case PoolMessages.STOP -> stopped = true;
            default -> throw new IllegalStateException("unknown pool message kind " + kind +
                "; the pool's shared memory was corrupted");
        }
    }

    private void define(final DirectBuffer buffer, final int offset, final int length)
    {
        final int fnId = buffer.getInt(offset + PoolMessages.DEFINE_FN_ID, ByteOrder.LITTLE_ENDIAN);
        functions.remove(buffer.getInt(offset + PoolMessages.DEFINE_FORGET_ID, ByteOrder.LITTLE_ENDIAN));
        Object function;
        try
        {
            function = functionCodec.decode(buffer, offset + PoolMessages.DEFINE_FUNCTION,
                length - PoolMessages.DEFINE_FUNCTION);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            function = ex; // each task of this function reports why it cannot run
        }
        functions.put(fnId, function);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runTask(final DirectBuffer buffer, final int offset, final int length)
    {
        final long taskId = buffer.getLong(offset + PoolMessages.TASK_ID, ByteOrder.LITTLE_ENDIAN);
        final int fnId = buffer.getInt(offset + PoolMessages.TASK_FN_ID, ByteOrder.LITTLE_ENDIAN);
        final byte mode = buffer.getByte(offset + PoolMessages.TASK_MODE);
        table.setCounter(slot, TASKS_IN_FLIGHT, 1); // this process alone writes its counters
        Object result;
        boolean ok;
        try
        {
            final Object function = functions.get(fnId);
            if (function == null)
            {
                throw new IllegalStateException("function #" + fnId + " was never sent to this worker");
            }
            if (function instanceof Throwable cannotDecode)
            {
                throw new IllegalStateException("the task's function cannot be loaded in the worker: " +
                    cannotDecode, cannotDecode);
            }
            final Object items = valueCodec.decode(
                buffer, offset + PoolMessages.TASK_ITEMS, length - PoolMessages.TASK_ITEMS);
            switch (mode)
            {
                case PoolMessages.MAP ->
                {
                    final RemoteFunction fn = (RemoteFunction)function;
                    final Object[] values = new Object[Packed.length(items)];
                    for (int i = 0; i < values.length; i++)
                    {
                        values[i] = fn.apply(Packed.get(items, i));
                    }
                    result = Packed.pack(values);
                }
                case PoolMessages.STAR ->
                {
                    final StarFunction fn = (StarFunction)function;
                    final Object[] calls = (Object[])items;
                    final Object[] values = new Object[calls.length];
                    for (int i = 0; i < calls.length; i++)
                    {
                        values[i] = fn.apply((Object[])calls[i]);
                    }
                    result = Packed.pack(values);
                }
                case PoolMessages.CALL -> result = ((StarFunction)function).apply((Object[])items);
                default -> throw new IllegalStateException("unknown task mode " + mode);
            }
            ok = true;
        }
        catch (final Throwable ex)
        {
            result = TaskException.describe(ex);
            ok = false;
        }
        int length0;
        try
        {
            length0 = encodeResult(taskId, ok, result);
        }
        catch (final RuntimeException ex)
        {
            ok = false;
            length0 = encodeResult(taskId, false, TaskException.describe(new IllegalArgumentException(
                "the task's result cannot be sent back to the pool: " + ex.getMessage(), ex)));
        }
        send(length0);
        if (ok)
        {
            table.setCounter(slot, TASKS_DONE, ++tasksSucceeded);
        }
        else
        {
            table.setCounter(slot, TASKS_FAILED, ++tasksFailed);
        }
        table.setCounter(slot, TASKS_IN_FLIGHT, 0);
        tasksDone++;
    }

    private int encodeResult(final long taskId, final boolean ok, final Object value)
    {
        out.putByte(PoolMessages.KIND, PoolMessages.RESULT);
        out.putLong(PoolMessages.RESULT_TASK_ID, taskId, ByteOrder.LITTLE_ENDIAN);
        out.putByte(PoolMessages.RESULT_STATUS, ok ? PoolMessages.OK : PoolMessages.ERROR);
        return PoolMessages.RESULT_VALUE + valueCodec.encode(value, out, PoolMessages.RESULT_VALUE);
    }

    private void send(final int length)
    {
        while (!results.write(out, 0, length))
        {
            idle.idle();
        }
        idle.reset();
    }
}
