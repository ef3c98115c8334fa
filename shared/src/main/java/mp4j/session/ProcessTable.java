package mp4j.session;

import mp4j.util.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import static mp4j.session.SessionLayout.*;

/**
 * Flyweight over the process table of a session file (layout: {@link SessionLayout}). Slot 0 is the creator.
 * Slots are claimed by CAS on their state word, so any process may start workers.
 */
public final class ProcessTable
{
    private final AtomicBuffer buffer;
    private final int slotCount;

    /** {@code slotCount} as checked when the session was opened: never read again from a header that may change. */
    ProcessTable(final AtomicBuffer buffer, final int slotCount)
    {
        this.buffer = buffer;
        this.slotCount = slotCount;
    }

    public int slotCount()
    {
        return slotCount;
    }

    /** Whether {@code slot} is a slot of this table: slot numbers read from the file are checked with it. */
    public boolean isSlot(final int slot)
    {
        return slot >= 0 && slot < slotCount;
    }

    private int at(final int slot, final int field)
    {
        if (slot < 0 || slot >= slotCount())
        {
            throw new IndexOutOfBoundsException("process slot " + slot + " is outside 0.." + (slotCount() - 1));
        }
        return (int)(processTableOffset() + (long)slot * SLOT_LENGTH + field);
    }

    void claimCreator(final ProcessIdentity self)
    {
        final long now = System.currentTimeMillis();
        buffer.putLong(at(0, SLOT_PID_OFFSET), self.pid());
        buffer.putLong(at(0, SLOT_START_OFFSET), self.startMillis());
        buffer.putLong(at(0, SLOT_HEARTBEAT_OFFSET), now);
        buffer.putLong(at(0, SLOT_CREATED_OFFSET), now);
        buffer.putInt(at(0, SLOT_PARENT_OFFSET), -1);
        buffer.putInt(at(0, SLOT_GENERATION_OFFSET), 1);
        Strings.put(buffer, at(0, SLOT_NAME_OFFSET), SLOT_NAME_LENGTH, "MainProcess");
        Strings.put(buffer, at(0, SLOT_ROLE_OFFSET), SLOT_ROLE_LENGTH, "creator");
        buffer.putIntOrdered(at(0, SLOT_STATE_OFFSET), SLOT_RUNNING);
    }

    /**
     * Claims a free slot for a process about to start: a never-used slot first, else one whose process has
     * exited and been reaped, else one whose process died without saying so.
     *
     * @return the slot, in state NEW.
     * @throws SessionFullException when every slot holds a live process.
     */
    public int claim(final int parentSlot, final String name, final String role, final boolean daemon)
    {
        final int slots = slotCount();
        for (int pass = 0; pass < 3; pass++)
        {
            for (int slot = 1; slot < slots; slot++)
            {
                final int state = state(slot);
                final boolean reusable = switch (pass)
                {
                    case 0 -> state == SLOT_FREE;
                    case 1 -> state == SLOT_EXITED;
                    default -> state == SLOT_RUNNING && !identity(slot).isAlive();
                };
                if (reusable && buffer.compareAndSetInt(at(slot, SLOT_STATE_OFFSET), state, SLOT_NEW))
                {
                    initialiseClaimed(slot, parentSlot, name, role, daemon);
                    return slot;
                }
            }
        }
        throw new SessionFullException("all " + (slots - 1) + " worker slots of the session's process table " +
            "hold live processes; join or terminate some first");
    }

    private void initialiseClaimed(
        final int slot, final int parentSlot, final String name, final String role, final boolean daemon)
    {
        buffer.putLong(at(slot, SLOT_PID_OFFSET), 0);
        buffer.putLong(at(slot, SLOT_START_OFFSET), 0);
        buffer.putLong(at(slot, SLOT_HEARTBEAT_OFFSET), 0);
        buffer.putInt(at(slot, SLOT_EXIT_CODE_OFFSET), 0);
        buffer.putInt(at(slot, SLOT_PARENT_OFFSET), parentSlot);
        buffer.putLong(at(slot, SLOT_CREATED_OFFSET), System.currentTimeMillis());
        buffer.putInt(at(slot, SLOT_PAYLOAD_LENGTH_OFFSET), 0);
        buffer.putInt(at(slot, SLOT_GENERATION_OFFSET), buffer.getInt(at(slot, SLOT_GENERATION_OFFSET)) + 1);
        for (int i = 0; i < SLOT_COUNTERS; i++)
        {
            buffer.putLong(at(slot, SLOT_COUNTER0_OFFSET + 8 * i), 0);
        }
        Strings.put(buffer, at(slot, SLOT_NAME_OFFSET), SLOT_NAME_LENGTH, name);
        Strings.put(buffer, at(slot, SLOT_ROLE_OFFSET), SLOT_ROLE_LENGTH, role);
        buffer.putIntOrdered(at(slot, SLOT_FLAGS_OFFSET), daemon ? FLAG_DAEMON : 0);
    }

    /**
     * Hands a running reserve worker a new identity (name, role, daemon flag); the payload written after this is
     * what wakes it. See {@code mp4j.process.Reservoir}.
     */
    public void assign(final int slot, final String name, final String role, final boolean daemon)
    {
        Strings.put(buffer, at(slot, SLOT_NAME_OFFSET), SLOT_NAME_LENGTH, name);
        Strings.put(buffer, at(slot, SLOT_ROLE_OFFSET), SLOT_ROLE_LENGTH, role);
        buffer.putIntOrdered(at(slot, SLOT_FLAGS_OFFSET), daemon ? FLAG_DAEMON : 0);
    }

    /** Called by the parent once the OS process exists; the worker writes the same values when it starts. */
    public void setIdentity(final int slot, final ProcessIdentity identity)
    {
        buffer.putLong(at(slot, SLOT_START_OFFSET), identity.startMillis());
        buffer.putLongOrdered(at(slot, SLOT_PID_OFFSET), identity.pid());
    }

    /** Called by the worker itself once it has attached: it is now registered. */
    public void markRunning(final int slot, final ProcessIdentity identity)
    {
        setIdentity(slot, identity);
        buffer.putLongOrdered(at(slot, SLOT_HEARTBEAT_OFFSET), System.currentTimeMillis());
        buffer.compareAndSetInt(at(slot, SLOT_STATE_OFFSET), SLOT_NEW, SLOT_RUNNING);
    }

    /** Records how a process ended: its exit code, or {@code -signal} with {@code killed} when a signal ended it. */
    public void markExited(final int slot, final int exitCode, final boolean killed)
    {
        buffer.putInt(at(slot, SLOT_EXIT_CODE_OFFSET), exitCode);
        final int flags = buffer.getInt(at(slot, SLOT_FLAGS_OFFSET));
        buffer.putInt(at(slot, SLOT_FLAGS_OFFSET), killed ? flags | FLAG_KILLED : flags & ~FLAG_KILLED);
        buffer.putIntOrdered(at(slot, SLOT_STATE_OFFSET), SLOT_EXITED);
    }

    /**
     * Records the end of the process that claimed {@code slot} at {@code generation}, as its parent's reaper sees it:
     * nothing when the slot has been claimed again since (the worker marked itself EXITED, and a new process took
     * the slot before the reaper ran) or when the worker recorded its own exit already.
     *
     * @return whether this call recorded the exit.
     */
    public boolean markExitedIfStill(final int slot, final int generation, final int exitCode, final boolean killed)
    {
        final int state = state(slot);
        if (generation(slot) != generation || (state != SLOT_RUNNING && state != SLOT_NEW))
        {
            return false;
        }
        buffer.putInt(at(slot, SLOT_EXIT_CODE_OFFSET), exitCode);
        final int flags = buffer.getInt(at(slot, SLOT_FLAGS_OFFSET));
        buffer.putInt(at(slot, SLOT_FLAGS_OFFSET), killed ? flags | FLAG_KILLED : flags & ~FLAG_KILLED);
        return buffer.compareAndSetInt(at(slot, SLOT_STATE_OFFSET), state, SLOT_EXITED);
    }

    /** This slot's process has begun to exit (its exit hook runs): from now on it does not keep the session. */
    public void markExiting(final int slot)
    {
        final int at = at(slot, SLOT_FLAGS_OFFSET);
        int flags;
        do
        {
            flags = buffer.getIntVolatile(at);
        }
        while (!buffer.compareAndSetInt(at, flags, flags | FLAG_EXITING));
    }

    /**
     * Whether a process other than {@code slot} still keeps the session, so that {@code slot}, exiting, must not
     * remove the session file: one that is alive and not exiting, and is not a daemon that never registered
     * whose parent is dead (the kernel's parent-death signal, or its keeper as soon as it boots, ends it before it
     * can use the session). The exiting process marks itself {@link #markExiting exiting} first, so of two that
     * exit at once, at least the second sees the first gone.
     */
    public boolean othersKeepSession(final int slot)
    {
        for (int other = 0; other < slotCount(); other++)
        {
            if (other == slot || !isAlive(other) || (flags(other) & FLAG_EXITING) != 0)
            {
                continue;
            }
            if (state(other) == SLOT_NEW && (flags(other) & FLAG_DAEMON) != 0)
            {
                final int parentSlot = parentSlot(other);
                if (isSlot(parentSlot) && parentSlot != other && !isAlive(parentSlot))
                {
                    continue;
                }
            }
            return true;
        }
        return false;
    }

    /** Frees a slot whose process never started. */
    public void release(final int slot)
    {
        buffer.putIntOrdered(at(slot, SLOT_STATE_OFFSET), SLOT_EXITED);
    }

    public void heartbeat(final int slot, final long nowMillis)
    {
        buffer.putLongOrdered(at(slot, SLOT_HEARTBEAT_OFFSET), nowMillis);
    }

    public void setPayloadLength(final int slot, final int length)
    {
        buffer.putIntOrdered(at(slot, SLOT_PAYLOAD_LENGTH_OFFSET), length);
    }

    public int payloadLength(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_PAYLOAD_LENGTH_OFFSET));
    }

    public int state(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_STATE_OFFSET));
    }

    public int flags(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_FLAGS_OFFSET));
    }

    public boolean isDaemon(final int slot)
    {
        return (flags(slot) & FLAG_DAEMON) != 0;
    }

    public long pid(final int slot)
    {
        return buffer.getLongVolatile(at(slot, SLOT_PID_OFFSET));
    }

    public long startMillis(final int slot)
    {
        return buffer.getLongVolatile(at(slot, SLOT_START_OFFSET));
    }

    public ProcessIdentity identity(final int slot)
    {
        final long pid = pid(slot);
        return new ProcessIdentity(pid, startMillis(slot));
    }

    public long heartbeatMillis(final int slot)
    {
        return buffer.getLongVolatile(at(slot, SLOT_HEARTBEAT_OFFSET));
    }

    public int exitCode(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_EXIT_CODE_OFFSET));
    }

    public int parentSlot(final int slot)
    {
        return buffer.getInt(at(slot, SLOT_PARENT_OFFSET));
    }

    public long createdMillis(final int slot)
    {
        return buffer.getLong(at(slot, SLOT_CREATED_OFFSET));
    }

    public int generation(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_GENERATION_OFFSET));
    }

    public String name(final int slot)
    {
        return Strings.get(buffer, at(slot, SLOT_NAME_OFFSET), SLOT_NAME_LENGTH);
    }

    public String role(final int slot)
    {
        return Strings.get(buffer, at(slot, SLOT_ROLE_OFFSET), SLOT_ROLE_LENGTH);
    }

    /** The absolute offset of counter {@code index} (0..3) of a slot: tasks done, failed, in flight, spare. */
    public int counterOffset(final int slot, final int index)
    {
        if (index < 0 || index >= SLOT_COUNTERS)
        {
            throw new IndexOutOfBoundsException("counter " + index + " is outside 0.." + (SLOT_COUNTERS - 1));
        }
        return at(slot, SLOT_COUNTER0_OFFSET + 8 * index);
    }

    public long counter(final int slot, final int index)
    {
        return buffer.getLongVolatile(counterOffset(slot, index));
    }

    public void addToCounter(final int slot, final int index, final long delta)
    {
        buffer.getAndAddLong(counterOffset(slot, index), delta);
    }

    /**
     * Sets a counter that only the slot's own process writes, without an atomic add: a plain ordered store. (A
     * compare-and-set on a page of a file truncated under it can crash a JVM that runs it interpreted, where a store
     * only raises an error.)
     */
    public void setCounter(final int slot, final int index, final long value)
    {
        buffer.putLongOrdered(counterOffset(slot, index), value);
    }

    /** True when the slot's process is registered and its pid is alive (with the same start time). */
    public boolean isAlive(final int slot)
    {
        final int state = state(slot);
        if (state == SLOT_FREE || state == SLOT_EXITED)
        {
            return false;
        }
        final long pid = pid(slot);
        return pid != 0 && identity(slot).isAlive();
    }

    /** Processes in the table that are alive now, the creator included. */
    public int liveCount()
    {
        int live = 0;
        for (int slot = 0; slot < slotCount(); slot++)
        {
            if (isAlive(slot))
            {
                live++;
            }
        }
        return live;
    }

    public static String stateName(final int state)
    {
        return switch (state)
        {
            case SLOT_FREE -> "FREE";
            case SLOT_NEW -> "NEW";
            case SLOT_RUNNING -> "RUNNING";
            case SLOT_EXITED -> "EXITED";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
