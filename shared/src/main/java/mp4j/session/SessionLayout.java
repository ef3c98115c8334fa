package mp4j.session;

/**
 * The one description of the session file. Everything that reads or writes a session file (the Java code, the
 * inspector, {@code scripts/inspect.py}) follows this layout; change it here and bump {@link #LAYOUT_VERSION}.
 * <p>
 * A session is one memory-mapped file, {@code /dev/shm/mp4j-<id>} on Linux. All integers are little-endian;
 * offsets are absolute from the start of the file. The file has five sections, in this order:
 * <pre>
 *   0               HEADER_LENGTH      directoryOffset        payloadOffset           dataOffset          fileLength
 *   +---------------+------------------+----------------------+-----------------------+-------------------+
 *   | header        | process table    | object directory     | payload areas         | data area         |
 *   | (4 KiB)       | slots x 256      | capacity x 128       | slots x 64 KiB        | objects, rings:   |
 *   |               | (SLOT_LENGTH)    | (ENTRY_LENGTH)       | (PAYLOAD_LENGTH),     | dataLength bytes  |
 *   |               |                  |                      | one per process slot  |                   |
 *   +---------------+------------------+----------------------+-----------------------+-------------------+
 * </pre>
 * {@code payloadOffset} is the directory's end rounded up to 4 KiB, {@code dataOffset} the payload areas' end
 * rounded up to 4 KiB ({@link #payloadOffset}, {@link #dataOffset}); the header records every offset, and a
 * reader refuses a file whose header disagrees with these rules.
 *
 * <h2>Header</h2>
 * <pre>
 *  offset size field                 meaning
 *  ------ ---- --------------------- -----------------------------------------------------------
 *     0     8  magic                 "MP4JSESS" (0x5353455334504A4D as a little-endian long);
 *                                    written last by the creator, so a reader seeing it sees the rest
 *     8     4  layoutVersion         {@link #LAYOUT_VERSION}
 *    12     4  headerLength          {@link #HEADER_LENGTH}
 *    16     8  fileLength            bytes in the file; an attacher refuses a file shorter than this
 *    24     8  creatorPid            pid of the process that created the session
 *    32     8  creatorStartMillis    that process's start time (epoch ms), to tell a reused pid
 *    40     8  createdMillis         when the session was created (epoch ms)
 *    48     8  heartbeatMillis       updated by the creator every {@link #HEARTBEAT_INTERVAL_MS} ms
 *    56     8  processTableOffset
 *    64     4  processSlotCount
 *    68     4  processSlotLength     {@link #SLOT_LENGTH}
 *    72     8  directoryOffset
 *    80     4  directoryCapacity     entries
 *    84     4  directoryEntryLength  {@link #ENTRY_LENGTH}
 *    88     8  dataOffset
 *    96     8  dataLength
 *   104     8  dataAllocated         bytes of the data area handed out (bump pointer, advanced by CAS)
 *   112     4  directoryUsed         entries claimed (advanced by CAS)
 *   116     4  payloadLength         bytes of target payload per process slot ({@link #PAYLOAD_LENGTH})
 *   120     8  payloadOffset         start of the per-slot payload areas, slots*payloadLength bytes,
 *                                    between the directory and the data area
 *   128    64  sessionName           UTF-8, NUL-padded: the file name ("mp4j-...")
 *   192  3904  reserved              zero
 * </pre>
 *
 * <h2>Process table</h2>
 * {@code processSlotCount} slots of {@link #SLOT_LENGTH} bytes. Slot 0 is the creator ("MainProcess").
 * <pre>
 *  offset size field              meaning
 *  ------ ---- ------------------ --------------------------------------------------------------
 *     0     4  state              0 FREE, 1 NEW (claimed, JVM starting), 2 RUNNING, 3 EXITED
 *     4     4  flags              bit 0: daemon; bit 1: killed (exit by a signal, exitCode = -signal);
 *                                  bit 2: exiting (its exit hook runs: it no longer keeps the session file)
 *     8     8  pid                0 until known
 *    16     8  startMillis        the process's start time (epoch ms), to tell a reused pid
 *    24     8  heartbeatMillis    updated by the process itself every HEARTBEAT_INTERVAL_MS ms
 *    32     4  exitCode           valid in EXITED: the code, or -signal when flag "killed" is set
 *    36     4  parentSlot         slot of the process that started this one; -1 for the creator
 *    40     8  createdMillis      when the slot was claimed (epoch ms)
 *    48     4  payloadLength      bytes of serialized target in this slot's payload area
 *    52     4  generation         incremented each time the slot is claimed
 *    56     8  counter0           tasks done (a pool worker), free for other roles
 *    64     8  counter1           tasks failed
 *    72     8  counter2           tasks in flight
 *    80     8  counter3           reserved
 *    88    40  reserved           zero
 *   128    64  name               UTF-8, NUL-padded ("Process-1", "PoolWorker-3", ...)
 *   192    64  role               UTF-8, NUL-padded: what the process does ("process", "pool", ...)
 * </pre>
 *
 * <h2>Object directory</h2>
 * {@code directoryCapacity} entries of {@link #ENTRY_LENGTH} bytes, one per shared object (Value, Array,
 * Lock, Queue, ...). An entry is published by writing {@code kind} last; kind 0 means not (yet) in use.
 * <pre>
 *  offset size field        meaning
 *  ------ ---- ------------ ---------------------------------------------------------------------
 *     0     4  kind         {@link ObjectKind} code; 0 = empty. Codes 15 and 16 are retired (kinds RING
 *                           and BLOCK, never written): no kind will take them
 *     4     4  typeCode     Python type code as a char ('i', 'd', ...), 0 when not typed
 *     8     8  offset       where the object's bytes start (absolute)
 *    16     8  length       bytes of the object
 *    24     8  lockOffset   offset of the object's lock word, -1 when it has none
 *    32     8  count        elements (Array), capacity (Queue), parties (Barrier)...; kind-specific
 *    40     4  creatorSlot  process slot that allocated it
 *    44     4  flags        kind-specific
 *    48    80  name         UTF-8, NUL-padded
 * </pre>
 *
 * <h2>Payload areas</h2>
 * One area of {@link #PAYLOAD_LENGTH} bytes per process slot, slot {@code s}'s at
 * {@code payloadOffset + s * payloadLength}. The process that starts a worker writes there the worker's target
 * and arguments ({@code mp4j.process.ProcessPayload}: {@code mp4j.codec.ValueCodec}'s encoding of
 * {@code [targetClass, target, args]}), then the slot's {@code payloadLength}; the worker reads it once at start.
 * Bytes past {@code payloadLength} are left over from earlier processes of the slot.
 *
 * <h2>Data area</h2>
 * Objects are carved from the data area by a bump pointer ({@code dataAllocated}), each aligned to
 * {@link #OBJECT_ALIGNMENT} bytes so no two objects share a cache line. Memory is never reused within a
 * session. Each kind of object draws its bytes in a descriptor of its own (docs/architecture.md, "Layouts"):
 * <pre>
 *   kind                                  descriptor
 *   LOCK, RLOCK (and every lock word)     mp4j.synchronize.LockWordLayout
 *   SEMAPHORE, BOUNDED_SEMAPHORE          mp4j.synchronize.SemaphoreLayout
 *   EVENT, CONDITION, BARRIER             mp4j.synchronize.EventLayout, ConditionLayout, BarrierLayout
 *   VALUE, ARRAY                          mp4j.sharedctypes.SynchronizedLayout
 *   QUEUE, SIMPLE_QUEUE, JOINABLE_QUEUE   mp4j.queues.QueueLayout (its spill: SpillLayout, side files
 *                                         {@code <session file>.<tag>} removed with the session file)
 *   PIPE                                  mp4j.queues.PipeLayout (its spills: SpillLayout)
 *   POOL                                  mp4j.pool.PoolLayout (messages on its rings: PoolMessages)
 *   SHARED_MEMORY                         mp4j.sharedmemory.SharedMemoryRecordLayout: the record of a block of
 *                                         /dev/shm (which holds no header of ours; a ShareableList's bytes:
 *                                         ShareableListLayout) or of a SharedMemoryManager
 *   MANAGER                               mp4j.managers.ManagerLayout; its containers live in blocks of /dev/shm
 *                                         recorded by its own SharedMemoryManager: ContainerLayout
 * </pre>
 */
public final class SessionLayout
{
    public static final long MAGIC = 0x5353455334504A4DL; // "MP4JSESS" read as a little-endian long
    /**
     * 2: queues and pipes with a spill (mp4j.queues.QueueLayout, PipeLayout, SpillLayout); 3: a queue's ring writes
     * in flight (QueueLayout).
     */
    public static final int LAYOUT_VERSION = 3;

    public static final int HEADER_LENGTH = 4096;
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int FILE_LENGTH_OFFSET = 16;
    public static final int CREATOR_PID_OFFSET = 24;
    public static final int CREATOR_START_OFFSET = 32;
    public static final int CREATED_OFFSET = 40;
    public static final int HEARTBEAT_OFFSET = 48;
    public static final int PROCESS_TABLE_OFFSET_OFFSET = 56;
    public static final int PROCESS_SLOT_COUNT_OFFSET = 64;
    public static final int PROCESS_SLOT_LENGTH_OFFSET = 68;
    public static final int DIRECTORY_OFFSET_OFFSET = 72;
    public static final int DIRECTORY_CAPACITY_OFFSET = 80;
    public static final int DIRECTORY_ENTRY_LENGTH_OFFSET = 84;
    public static final int DATA_OFFSET_OFFSET = 88;
    public static final int DATA_LENGTH_OFFSET = 96;
    public static final int DATA_ALLOCATED_OFFSET = 104;
    public static final int DIRECTORY_USED_OFFSET = 112;
    public static final int PAYLOAD_LENGTH_OFFSET = 116;
    public static final int PAYLOAD_OFFSET_OFFSET = 120;
    public static final int SESSION_NAME_OFFSET = 128;
    public static final int SESSION_NAME_LENGTH = 64;

    public static final int SLOT_LENGTH = 256;
    public static final int SLOT_STATE_OFFSET = 0;
    public static final int SLOT_FLAGS_OFFSET = 4;
    public static final int SLOT_PID_OFFSET = 8;
    public static final int SLOT_START_OFFSET = 16;
    public static final int SLOT_HEARTBEAT_OFFSET = 24;
    public static final int SLOT_EXIT_CODE_OFFSET = 32;
    public static final int SLOT_PARENT_OFFSET = 36;
    public static final int SLOT_CREATED_OFFSET = 40;
    public static final int SLOT_PAYLOAD_LENGTH_OFFSET = 48;
    public static final int SLOT_GENERATION_OFFSET = 52;
    public static final int SLOT_COUNTER0_OFFSET = 56;
    public static final int SLOT_COUNTERS = 4;
    public static final int SLOT_NAME_OFFSET = 128;
    public static final int SLOT_NAME_LENGTH = 64;
    public static final int SLOT_ROLE_OFFSET = 192;
    public static final int SLOT_ROLE_LENGTH = 64;

    public static final int SLOT_FREE = 0;
    public static final int SLOT_NEW = 1;
    public static final int SLOT_RUNNING = 2;
    public static final int SLOT_EXITED = 3;
    public static final int FLAG_DAEMON = 1;
    public static final int FLAG_KILLED = 2;
    public static final int FLAG_EXITING = 4;

    public static final int ENTRY_LENGTH = 128;
    public static final int ENTRY_KIND_OFFSET = 0;
    public static final int ENTRY_TYPE_CODE_OFFSET = 4;
    public static final int ENTRY_OFFSET_OFFSET = 8;
    public static final int ENTRY_LENGTH_OFFSET = 16;
    public static final int ENTRY_LOCK_OFFSET_OFFSET = 24;
    public static final int ENTRY_COUNT_OFFSET = 32;
    public static final int ENTRY_CREATOR_SLOT_OFFSET = 40;
    public static final int ENTRY_FLAGS_OFFSET = 44;
    public static final int ENTRY_NAME_OFFSET = 48;
    public static final int ENTRY_NAME_LENGTH = 80;

    public static final int OBJECT_ALIGNMENT = 64;
    public static final int PAYLOAD_LENGTH = 64 * 1024;
    public static final long HEARTBEAT_INTERVAL_MS = 100;

    public static final int DEFAULT_SLOTS = 64;
    public static final int DEFAULT_DIRECTORY_CAPACITY = 1024;
    public static final long DEFAULT_DATA_LENGTH = 64L * 1024 * 1024;
    /** Offsets into a mapping are ints (Agrona buffers), so a session file stays below 2 GiB. */
    public static final long MAX_DATA_LENGTH = 1L << 30;

    private SessionLayout()
    {
    }

    public static long processTableOffset()
    {
        return HEADER_LENGTH;
    }

    public static long directoryOffset(final int slots)
    {
        return processTableOffset() + (long)slots * SLOT_LENGTH;
    }

    public static long payloadOffset(final int slots, final int directoryCapacity)
    {
        return align(directoryOffset(slots) + (long)directoryCapacity * ENTRY_LENGTH, 4096);
    }

    public static long dataOffset(final int slots, final int directoryCapacity)
    {
        return align(payloadOffset(slots, directoryCapacity) + (long)slots * PAYLOAD_LENGTH, 4096);
    }

    public static long fileLength(final int slots, final int directoryCapacity, final long dataLength)
    {
        return dataOffset(slots, directoryCapacity) + align(dataLength, 4096);
    }

    public static long align(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
