package mp4j.session;

/** This process's slot in the current session's process table: 0 in the creator, the assigned slot in a worker. */
public final class CurrentSlot
{
    private static volatile int slot = 0;

    private CurrentSlot()
    {
    }

    public static int get()
    {
        return slot;
    }

    public static void set(final int value)
    {
        slot = value;
    }
}
