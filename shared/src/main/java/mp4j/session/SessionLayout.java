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
    /**
     * The header's first long, "MP4JSESS" read little-endian; the creator writes it last, so a file without it is not
     * (yet) a session.
     */
    public static final long MAGIC = 0x5353455334504A4DL;
    /**
     * Version of this layout, recorded in the header; a process refuses a session file of another version. History:
     * 2: queues and pipes with a spill (mp4j.queues.QueueLayout, PipeLayout, SpillLayout); 3: a queue's ring writes
     * in flight (QueueLayout); 4: a queue's unblocker word on a cache line of its own (QueueLayout).
     */
    public static final int LAYOUT_VERSION = 4;

    /** Bytes of the header, 4 KiB; the process table starts right after it. */
    public static final int HEADER_LENGTH = 4096;
    /** Offset of the magic, a long: {@link #MAGIC} once the file is complete. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version, an int: {@link #LAYOUT_VERSION} of the code that made the file. */
    public static final int LAYOUT_VERSION_OFFSET = 8;
    /** Offset of the header's length in bytes, an int: {@link #HEADER_LENGTH}. */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** Offset of the file's length in bytes, a long; an attacher refuses a file shorter than this. */
    public static final int FILE_LENGTH_OFFSET = 16;
    /** Offset of the pid of the process that created the session, a long. */
    public static final int CREATOR_PID_OFFSET = 24;
    /** Offset of the creator's start time (epoch ms), a long: with the pid, it tells a reused pid. */
    public static final int CREATOR_START_OFFSET = 32;
    /** Offset of the session's creation time (epoch ms), a long. */
    public static final int CREATED_OFFSET = 40;
    /** Offset of the creator's heartbeat (epoch ms), a long, renewed every {@link #HEARTBEAT_INTERVAL_MS} ms. */
    public static final int HEARTBEAT_OFFSET = 48;
    /** Offset of the process table's offset in the file, a long. */
    public static final int PROCESS_TABLE_OFFSET_OFFSET = 56;
    /** Offset of the number of process slots, an int. */
    public static final int PROCESS_SLOT_COUNT_OFFSET = 64;
    /** Offset of a process slot's length in bytes, an int: {@link #SLOT_LENGTH}. */
    public static final int PROCESS_SLOT_LENGTH_OFFSET = 68;
    /** Offset of the object directory's offset in the file, a long. */
    public static final int DIRECTORY_OFFSET_OFFSET = 72;
    /** Offset of the object directory's capacity in entries, an int. */
    public static final int DIRECTORY_CAPACITY_OFFSET = 80;
    /** Offset of a directory entry's length in bytes, an int: {@link #ENTRY_LENGTH}. */
    public static final int DIRECTORY_ENTRY_LENGTH_OFFSET = 84;
    /** Offset of the data area's offset in the file, a long. */
    public static final int DATA_OFFSET_OFFSET = 88;
    /** Offset of the data area's length in bytes, a long. */
    public static final int DATA_LENGTH_OFFSET = 96;
    /** Offset of the bytes of the data area handed out so far, a long: the bump pointer, advanced by CAS. */
    public static final int DATA_ALLOCATED_OFFSET = 104;
    /** Offset of the number of directory entries claimed so far, an int, advanced by CAS. */
    public static final int DIRECTORY_USED_OFFSET = 112;
    /** Offset of a slot's payload area length in bytes, an int: {@link #PAYLOAD_LENGTH}. */
    public static final int PAYLOAD_LENGTH_OFFSET = 116;
    /** Offset of the payload areas' offset in the file, a long. */
    public static final int PAYLOAD_OFFSET_OFFSET = 120;
    /** Offset of the session's name, the file name ("mp4j-..."), UTF-8 and NUL-padded. */
    public static final int SESSION_NAME_OFFSET = 128;
    /** Bytes reserved for the session's name; a longer one is cut at a character boundary. */
    public static final int SESSION_NAME_LENGTH = 64;

    /** Bytes of one process slot. */
    public static final int SLOT_LENGTH = 256;
    /**
     * Offset in a slot of its state, an int: {@link #SLOT_FREE}, {@link #SLOT_NEW}, {@link #SLOT_RUNNING} or {@link
     * #SLOT_EXITED}.
     */
    public static final int SLOT_STATE_OFFSET = 0;
    /** Offset in a slot of its flags, an int: {@link #FLAG_DAEMON}, {@link #FLAG_KILLED}, {@link #FLAG_EXITING}. */
    public static final int SLOT_FLAGS_OFFSET = 4;
    /** Offset in a slot of the process's pid, a long; 0 until known. */
    public static final int SLOT_PID_OFFSET = 8;
    /** Offset in a slot of the process's start time (epoch ms), a long: with the pid, it tells a reused pid. */
    public static final int SLOT_START_OFFSET = 16;
    /**
     * Offset in a slot of the process's heartbeat (epoch ms), a long, renewed by the process itself every {@link
     * #HEARTBEAT_INTERVAL_MS} ms.
     */
    public static final int SLOT_HEARTBEAT_OFFSET = 24;
    /**
     * Offset in a slot of the exit code, an int, valid in state {@link #SLOT_EXITED}: the code, or -signal when {@link
     * #FLAG_KILLED} is set.
     */
    public static final int SLOT_EXIT_CODE_OFFSET = 32;
    /**
     * Offset in a slot of the parent's slot, an int: the slot of the process that started this one, -1 for the creator.
     */
    public static final int SLOT_PARENT_OFFSET = 36;
    /** Offset in a slot of the time it was claimed (epoch ms), a long. */
    public static final int SLOT_CREATED_OFFSET = 40;
    /** Offset in a slot of the length of the serialized target in its payload area, an int (bytes). */
    public static final int SLOT_PAYLOAD_LENGTH_OFFSET = 48;
    /** Offset in a slot of its generation, an int incremented each time the slot is claimed. */
    public static final int SLOT_GENERATION_OFFSET = 52;
    /**
     * Offset in a slot of the first of {@link #SLOT_COUNTERS} longs: counter {@code i} is at {@code
     * SLOT_COUNTER0_OFFSET + 8 * i} (a pool worker's tasks done, failed, in flight; the fourth is reserved).
     */
    public static final int SLOT_COUNTER0_OFFSET = 56;
    /** Number of counters in a slot. */
    public static final int SLOT_COUNTERS = 4;
    /** Offset in a slot of the process's name ("Process-1", "PoolWorker-3", ...), UTF-8 and NUL-padded. */
    public static final int SLOT_NAME_OFFSET = 128;
    /** Bytes reserved for a process's name. */
    public static final int SLOT_NAME_LENGTH = 64;
    /** Offset in a slot of the process's role ("process", "pool", ...), UTF-8 and NUL-padded. */
    public static final int SLOT_ROLE_OFFSET = 192;
    /** Bytes reserved for a process's role. */
    public static final int SLOT_ROLE_LENGTH = 64;

    /** Slot state: not in use; free to be claimed. */
    public static final int SLOT_FREE = 0;
    /** Slot state: claimed for a process whose JVM is starting. */
    public static final int SLOT_NEW = 1;
    /** Slot state: the process runs. */
    public static final int SLOT_RUNNING = 2;
    /** Slot state: the process has exited; the exit code is valid. */
    public static final int SLOT_EXITED = 3;
    /** Slot flag, bit 0: the process is a daemon, ended when its parent ends. */
    public static final int FLAG_DAEMON = 1;
    /** Slot flag, bit 1: the process was ended by a signal; the exit code is -signal. */
    public static final int FLAG_KILLED = 2;
    /** Slot flag, bit 2: the process's exit hook runs; it no longer keeps the session file alive. */
    public static final int FLAG_EXITING = 4;

    /** Bytes of one object directory entry. */
    public static final int ENTRY_LENGTH = 128;
    /**
     * Offset in an entry of its kind, an int: an {@link ObjectKind} code, 0 while the entry is empty; written last, to
     * publish the entry.
     */
    public static final int ENTRY_KIND_OFFSET = 0;
    /**
     * Offset in an entry of the Python type code, an int holding a char ('i', 'd', ...); 0 when the object is not
     * typed.
     */
    public static final int ENTRY_TYPE_CODE_OFFSET = 4;
    /** Offset in an entry of where the object's bytes start in the file (absolute), a long. */
    public static final int ENTRY_OFFSET_OFFSET = 8;
    /** Offset in an entry of the object's length in bytes, a long. */
    public static final int ENTRY_LENGTH_OFFSET = 16;
    /** Offset in an entry of the object's lock word offset in the file, a long; -1 when it has no lock. */
    public static final int ENTRY_LOCK_OFFSET_OFFSET = 24;
    /**
     * Offset in an entry of its kind-specific count, a long: elements of an Array, capacity of a Queue, parties of a
     * Barrier...
     */
    public static final int ENTRY_COUNT_OFFSET = 32;
    /** Offset in an entry of the process slot that allocated the object, an int. */
    public static final int ENTRY_CREATOR_SLOT_OFFSET = 40;
    /** Offset in an entry of its kind-specific flags, an int. */
    public static final int ENTRY_FLAGS_OFFSET = 44;
    /** Offset in an entry of the object's name, UTF-8 and NUL-padded. */
    public static final int ENTRY_NAME_OFFSET = 48;
    /** Bytes reserved for an object's name. */
    public static final int ENTRY_NAME_LENGTH = 80;

    /** Alignment in bytes of every object in the data area, a cache line, so no two objects share one. */
    public static final int OBJECT_ALIGNMENT = 64;
    /**
     * Bytes of one process slot's payload area (64 KiB): the largest serialized target and arguments a process can be
     * started with.
     */
    public static final int PAYLOAD_LENGTH = 64 * 1024;
    /** Milliseconds between two heartbeats of a process (its slot) and of the creator (the header). */
    public static final long HEARTBEAT_INTERVAL_MS = 100;

    /** Process slots of a session made by {@link Session#create()}: at most this many processes at a time. */
    public static final int DEFAULT_SLOTS = 64;
    /** Directory entries of a session made by {@link Session#create()}: at most this many shared objects. */
    public static final int DEFAULT_DIRECTORY_CAPACITY = 1024;
    /**
     * Bytes of the data area of a session made by {@link Session#create()} (64 MiB) unless system property {@code
     * mp4j.session.size} says otherwise.
     */
    public static final long DEFAULT_DATA_LENGTH = 64L * 1024 * 1024;
    /** Offsets into a mapping are ints (Agrona buffers), so a session file stays below 2 GiB. */
    public static final long MAX_DATA_LENGTH = 1L << 30;

    private SessionLayout()
    {
    }

    /**
     * Where the process table starts: right after the header.
     *
     * @return the process table's offset in the file, {@link #HEADER_LENGTH}
     */
    public static long processTableOffset()
    {
        return HEADER_LENGTH;
    }

    /**
     * Where the object directory starts: right after the process table.
     *
     * @param slots process slots of the session
     * @return the directory's offset in the file
     */
    public static long directoryOffset(final int slots)
    {
        return processTableOffset() + (long)slots * SLOT_LENGTH;
    }

    /**
     * Where the payload areas start: the directory's end, rounded up to 4 KiB.
     *
     * @param slots             process slots of the session
     * @param directoryCapacity entries of the object directory
     * @return the payload areas' offset in the file
     */
    public static long payloadOffset(final int slots, final int directoryCapacity)
    {
        return align(directoryOffset(slots) + (long)directoryCapacity * ENTRY_LENGTH, 4096);
    }

    /**
     * Where the data area starts: the payload areas' end, rounded up to 4 KiB.
     *
     * @param slots             process slots of the session
     * @param directoryCapacity entries of the object directory
     * @return the data area's offset in the file
     */
    public static long dataOffset(final int slots, final int directoryCapacity)
    {
        return align(payloadOffset(slots, directoryCapacity) + (long)slots * PAYLOAD_LENGTH, 4096);
    }

    /**
     * Bytes of a session file: everything up to the data area, plus the data area rounded up to 4 KiB.
     *
     * @param slots             process slots of the session
     * @param directoryCapacity entries of the object directory
     * @param dataLength        bytes of the data area asked for
     * @return the file's length in bytes
     */
    public static long fileLength(final int slots, final int directoryCapacity, final long dataLength)
    {
        return dataOffset(slots, directoryCapacity) + align(dataLength, 4096);
    }

    /**
     * Rounds a value up to a multiple of an alignment.
     *
     * @param value     the value to round up, not negative
     * @param alignment a power of two; anything else gives a wrong result, unchecked
     * @return the smallest multiple of {@code alignment} not below {@code value}
     */
    public static long align(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
