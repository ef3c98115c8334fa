package mp4j.session;

import mp4j.util.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import static mp4j.session.SessionLayout.*;

/**
 * Flyweight over the process table of a session file (layout: {@link SessionLayout}). Slot 0 is the creator.
 * Slots are claimed by CAS on their state word, so any process may start workers. Every method that takes a slot
 * throws {@link IndexOutOfBoundsException} when it is not 0..{@link #slotCount()} - 1.
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

    /**
     * Slots of the table, the creator's included: at most this many processes of the session live at once.
     *
     * @return the number of slots
     */
    public int slotCount()
    {
        return slotCount;
    }

    /**
     * Whether {@code slot} is a slot of this table: slot numbers read from the file are checked with it.
     *
     * @param slot any number, negative included
     * @return whether {@code slot} is in 0..{@link #slotCount()} - 1
     */
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
     * exited and been reaped, else one whose process died without saying so. Slot 0, the creator's, is never
     * claimed. The slot's counters, pid and payload length are cleared and its generation incremented.
     *
     * @param parentSlot slot of the process that starts the new one
     * @param name       the new process's name ("Process-1", ...), cut to {@link SessionLayout#SLOT_NAME_LENGTH} bytes
     * @param role       what the new process does ("process", "pool", ...), cut to
     *                   {@link SessionLayout#SLOT_ROLE_LENGTH} bytes
     * @param daemon     whether the new process is a daemon (ends with its parent)
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
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param name   the process's new name, cut to {@link SessionLayout#SLOT_NAME_LENGTH} bytes
     * @param role   the process's new role, cut to {@link SessionLayout#SLOT_ROLE_LENGTH} bytes
     * @param daemon whether the process is now a daemon
     */
    public void assign(final int slot, final String name, final String role, final boolean daemon)
    {
        Strings.put(buffer, at(slot, SLOT_NAME_OFFSET), SLOT_NAME_LENGTH, name);
        Strings.put(buffer, at(slot, SLOT_ROLE_OFFSET), SLOT_ROLE_LENGTH, role);
        buffer.putIntOrdered(at(slot, SLOT_FLAGS_OFFSET), daemon ? FLAG_DAEMON : 0);
    }

    /**
     * Records the slot's pid and start time. Called by the parent once the OS process exists; the worker writes the
     * same values when it starts.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param identity the process's pid and start time
     */
    public void setIdentity(final int slot, final ProcessIdentity identity)
    {
        buffer.putLong(at(slot, SLOT_START_OFFSET), identity.startMillis());
        buffer.putLongOrdered(at(slot, SLOT_PID_OFFSET), identity.pid());
    }

    /**
     * Called by the worker itself once it has attached: it is now registered. Records its identity and a first
     * heartbeat, and moves the slot from NEW to RUNNING (a slot in another state keeps it).
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param identity the worker's own pid and start time
     */
    public void markRunning(final int slot, final ProcessIdentity identity)
    {
        setIdentity(slot, identity);
        buffer.putLongOrdered(at(slot, SLOT_HEARTBEAT_OFFSET), System.currentTimeMillis());
        buffer.compareAndSetInt(at(slot, SLOT_STATE_OFFSET), SLOT_NEW, SLOT_RUNNING);
    }

    /**
     * Records how a process ended and moves its slot to EXITED, whatever state it was in.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param exitCode the exit code, or {@code -signal} when a signal ended the process
     * @param killed   whether a signal ended it (sets or clears {@link SessionLayout#FLAG_KILLED})
     */
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
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param generation the slot's {@link #generation} when the parent claimed it
     * @param exitCode   the exit code, or {@code -signal} when a signal ended the process
     * @param killed     whether a signal ended it
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

    /**
     * This slot's process has begun to exit (its exit hook runs): from now on it does not keep the session. Sets
     * {@link SessionLayout#FLAG_EXITING} by CAS, so other flags set meanwhile are kept.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     */
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
     *
     * @param slot the slot of the process that exits
     * @return whether another process keeps the session, so the file must stay
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

    /**
     * Frees a slot whose process never started, by marking it EXITED: {@link #claim} takes it again.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     */
    public void release(final int slot)
    {
        buffer.putIntOrdered(at(slot, SLOT_STATE_OFFSET), SLOT_EXITED);
    }

    /**
     * Renews the slot's heartbeat; each live process does so every {@link SessionLayout#HEARTBEAT_INTERVAL_MS} ms.
     *
     * @param slot      the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param nowMillis the current time, epoch ms
     */
    public void heartbeat(final int slot, final long nowMillis)
    {
        buffer.putLongOrdered(at(slot, SLOT_HEARTBEAT_OFFSET), nowMillis);
    }

    /**
     * Publishes the length of the target written in the slot's payload area; written after the payload, so a worker
     * that reads the length sees the bytes.
     *
     * @param slot   the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param length bytes of the serialized target, 0 to {@link SessionLayout#PAYLOAD_LENGTH}
     */
    public void setPayloadLength(final int slot, final int length)
    {
        buffer.putIntOrdered(at(slot, SLOT_PAYLOAD_LENGTH_OFFSET), length);
    }

    /**
     * The length of the target in the slot's payload area; 0 until the parent has written it.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return bytes of the serialized target
     */
    public int payloadLength(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_PAYLOAD_LENGTH_OFFSET));
    }

    /**
     * The slot's state.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return {@link SessionLayout#SLOT_FREE}, {@link SessionLayout#SLOT_NEW}, {@link SessionLayout#SLOT_RUNNING} or
     *         {@link SessionLayout#SLOT_EXITED}; see {@link #stateName}
     */
    public int state(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_STATE_OFFSET));
    }

    /**
     * The slot's flags.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return a bit set of {@link SessionLayout#FLAG_DAEMON}, {@link SessionLayout#FLAG_KILLED} and {@link
     *         SessionLayout#FLAG_EXITING}
     */
    public int flags(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_FLAGS_OFFSET));
    }

    /**
     * Whether the slot's process is a daemon, ended when its parent ends.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return whether {@link SessionLayout#FLAG_DAEMON} is set
     */
    public boolean isDaemon(final int slot)
    {
        return (flags(slot) & FLAG_DAEMON) != 0;
    }

    /**
     * The slot's process id.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the pid, 0 until known
     */
    public long pid(final int slot)
    {
        return buffer.getLongVolatile(at(slot, SLOT_PID_OFFSET));
    }

    /**
     * The slot's process's start time, which with the pid tells a reused pid.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the start time (epoch ms), 0 until known
     */
    public long startMillis(final int slot)
    {
        return buffer.getLongVolatile(at(slot, SLOT_START_OFFSET));
    }

    /**
     * The slot's process as the OS knows it, to ask whether it is alive; read anew on each call.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return its pid and start time (pid 0 until known)
     */
    public ProcessIdentity identity(final int slot)
    {
        final long pid = pid(slot);
        return new ProcessIdentity(pid, startMillis(slot));
    }

    /**
     * When the slot's process last renewed its heartbeat.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the time (epoch ms), 0 until the process has registered
     */
    public long heartbeatMillis(final int slot)
    {
        return buffer.getLongVolatile(at(slot, SLOT_HEARTBEAT_OFFSET));
    }

    /**
     * How the slot's process ended; meaningful in state EXITED only.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the exit code, or {@code -signal} when {@link SessionLayout#FLAG_KILLED} is set
     */
    public int exitCode(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_EXIT_CODE_OFFSET));
    }

    /**
     * Which process started the slot's process.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the parent's slot, -1 for the creator; read from the file, so check it with {@link #isSlot}
     */
    public int parentSlot(final int slot)
    {
        return buffer.getInt(at(slot, SLOT_PARENT_OFFSET));
    }

    /**
     * When the slot was last claimed.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the time (epoch ms)
     */
    public long createdMillis(final int slot)
    {
        return buffer.getLong(at(slot, SLOT_CREATED_OFFSET));
    }

    /**
     * How many times the slot has been claimed: with the slot number, it names one process of the session.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the generation, 1 for the first process of the slot
     */
    public int generation(final int slot)
    {
        return buffer.getIntVolatile(at(slot, SLOT_GENERATION_OFFSET));
    }

    /**
     * The slot's process's name, as Python's {@code Process.name}.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the name ("MainProcess", "Process-1", ...), empty when the slot was never claimed
     */
    public String name(final int slot)
    {
        return Strings.get(buffer, at(slot, SLOT_NAME_OFFSET), SLOT_NAME_LENGTH);
    }

    /**
     * What the slot's process does.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return the role ("creator", "process", "pool", ...), empty when the slot was never claimed
     */
    public String role(final int slot)
    {
        return Strings.get(buffer, at(slot, SLOT_ROLE_OFFSET), SLOT_ROLE_LENGTH);
    }

    /**
     * The absolute offset of counter {@code index} (0..3) of a slot: tasks done, failed, in flight, spare.
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param index which counter, 0..3
     * @return the counter's offset in the session file's buffer
     * @throws IndexOutOfBoundsException when {@code slot} or {@code index} is out of range
     */
    public int counterOffset(final int slot, final int index)
    {
        if (index < 0 || index >= SLOT_COUNTERS)
        {
            throw new IndexOutOfBoundsException("counter " + index + " is outside 0.." + (SLOT_COUNTERS - 1));
        }
        return at(slot, SLOT_COUNTER0_OFFSET + 8 * index);
    }

    /**
     * Reads one of the slot's counters.
     *
     * @param slot  the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param index which counter, 0..3: tasks done, failed, in flight, spare
     * @return the counter's value
     */
    public long counter(final int slot, final int index)
    {
        return buffer.getLongVolatile(counterOffset(slot, index));
    }

    /**
     * Adds to one of the slot's counters atomically: any process may.
     *
     * @param slot  the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param index which counter, 0..3: tasks done, failed, in flight, spare
     * @param delta what to add, negative to subtract
     */
    public void addToCounter(final int slot, final int index, final long delta)
    {
        buffer.getAndAddLong(counterOffset(slot, index), delta);
    }

    /**
     * Sets a counter that only the slot's own process writes, without an atomic add: a plain ordered store. (A
     * compare-and-set on a page of a file truncated under it can crash a JVM that runs it interpreted, where a store
     * only raises an error.)
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @param index which counter, 0..3
     * @param value  the counter's new value
     */
    public void setCounter(final int slot, final int index, final long value)
    {
        buffer.putLongOrdered(counterOffset(slot, index), value);
    }

    /**
     * True when the slot's process is registered and its pid is alive (with the same start time).
     *
     * @param slot the slot, 0 (the creator) to {@link #slotCount()} - 1
     * @return whether the slot is NEW or RUNNING with a known pid whose process lives
     */
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

    /**
     * Processes in the table that are alive now, the creator included.
     *
     * @return how many slots are {@link #isAlive alive}
     */
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

    /**
     * Names a slot state for people, as the inspector prints it.
     *
     * @param state a value of the state field, any int
     * @return "FREE", "NEW", "RUNNING", "EXITED", or "UNKNOWN(n)" for any other value
     */
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
