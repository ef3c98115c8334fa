package mp4j.sharedmemory;

/**
 * The bytes of a SHARED_MEMORY directory entry: the session's record of a block of {@code /dev/shm} that a
 * {@link SharedMemoryManager} made (entry named after the block, {@code count} = its size), or of the manager
 * itself (flag {@link #FLAG_MANAGER}, named {@code SharedMemoryManager-<index>}). The blocks themselves carry
 * no header of ours: Python sees only its bytes (a block holding a ShareableList: {@link ShareableListLayout}).
 * {@link #RECORD_LENGTH} bytes in the session's data area, little-endian:
 * <pre>
 *  offset size field        meaning
 *  ------ ---- ------------ -------------------------------------------------------------------------
 *     0     4  state        1 LIVE, 2 UNLINKED (set by CAS: whoever unlinks the block first); a manager's
 *                           record: 1 open, 2 closed
 *     4     4  reserved
 *     8     8  owner        directory index of the manager entry that made the block; -1 for a manager
 *    16     8  inode        the block file's inode at creation: cleanup removes /dev/shm/NAME only while
 *                           it is still that file, never a newer block that reused the name; 0 until the
 *                           file is made (a block being made, or whose maker died first), -1 where the
 *                           file system gives no inode
 *    24     8  creatorPid   process that made it
 *    32     8  creatorStart that process's start time (epoch ms), to tell a reused pid
 *    40     8  size         bytes of the block
 *    48    16  reserved
 * </pre>
 */
public final class SharedMemoryRecordLayout
{
    /** Directory entry flag: the record is a manager's, not a block's. */
    public static final int FLAG_MANAGER = 1;
    public static final int RECORD_LENGTH = 64;
    public static final int STATE_OFFSET = 0;
    public static final int OWNER_OFFSET = 8;
    public static final int INODE_OFFSET = 16;
    public static final int CREATOR_PID_OFFSET = 24;
    public static final int CREATOR_START_OFFSET = 32;
    public static final int SIZE_OFFSET = 40;

    /** The inode of a block made on a file system that gives none. */
    public static final long INODE_UNKNOWN = -1;
    public static final int LIVE = 1;
    public static final int UNLINKED = 2;

    private SharedMemoryRecordLayout()
    {
    }
}
