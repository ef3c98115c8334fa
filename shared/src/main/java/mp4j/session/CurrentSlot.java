package mp4j.session;

/** This process's slot in the current session's process table: 0 in the creator, the assigned slot in a worker. */
public final class CurrentSlot
{
    private static volatile int slot = 0;

    private CurrentSlot()
    {
    }

    /**
     * This process's slot.
     *
     * @return the slot, 0 until {@link #set} says otherwise
     */
    public static int get()
    {
        return slot;
    }

    /**
     * Records this process's slot, once it has one.
     *
     * @param value the slot in the current session's process table
     */
    public static void set(final int value)
    {
        slot = value;
    }
}
