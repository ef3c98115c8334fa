package mp4j.session;

import mp4j.util.ProcessIdentity;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static mp4j.session.SessionLayout.*;

/**
 * One mapped session file (layout: {@link SessionLayout}): the header, the {@link ProcessTable}, the
 * {@link ObjectDirectory} and the data area every shared object lives in.
 * <p>
 * The process that creates the session is its creator (slot 0); workers attach to it. {@link #current()} is the
 * session of this process: the one a worker was started in, or, in a main program, one created on first use.
 */
public final class Session implements AutoCloseable
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static volatile Session current;
    private static boolean ended;

    private static final AtomicBoolean DAMAGE_REPORTED = new AtomicBoolean();

    private final Path file;
    private final String name;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer buffer;
    private final boolean readOnly;
    private final BackingFile backing;
    private final Geometry geometry;
    private final ProcessTable processTable;
    private final ObjectDirectory directory;
    private volatile boolean closed;

    /**
     * Where the sections are, as checked when the file was created or attached. Never read again from the header:
     * a header overwritten while in use must not send anyone outside the mapping (the exit hook included).
     */
    record Geometry(int slots, int directoryCapacity, long payloadOffset, long dataOffset, long dataLength,
        long fileLength, ProcessIdentity creator)
    {
        static Geometry of(final int slots, final int directoryCapacity, final long fileLength,
            final ProcessIdentity creator)
        {
            final long dataOffset = SessionLayout.dataOffset(slots, directoryCapacity);
            return new Geometry(slots, directoryCapacity, SessionLayout.payloadOffset(slots, directoryCapacity),
                dataOffset, fileLength - dataOffset, fileLength, creator);
        }

        long directoryOffset()
        {
            return SessionLayout.directoryOffset(slots);
        }
    }

    private Session(final Path file, final MappedByteBuffer mapped, final boolean readOnly, final BackingFile backing,
        final Geometry geometry)
    {
        this.file = file;
        this.name = file.getFileName().toString();
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.readOnly = readOnly;
        this.backing = backing;
        this.geometry = geometry;
        this.processTable = new ProcessTable(buffer, geometry.slots());
        this.directory = new ObjectDirectory(this, geometry.directoryCapacity(), geometry.directoryOffset());
    }

    /**
     * Creates a session with default sizes (data area: {@code -Dmp4j.session.size}, default 64 MiB) in
     * {@link SessionFiles#directory()}. This process becomes its creator; it does not become {@link #current()}.
     *
     * @return the new session, mapped read-write
     * @throws IllegalArgumentException when {@code mp4j.session.size} is outside 4 KiB..1 GiB
     * @throws SessionFileException     when the file cannot be created or its pages reserved
     */
    public static Session create()
    {
        final long dataLength = Long.getLong("mp4j.session.size", DEFAULT_DATA_LENGTH);
        return create(SessionFiles.directory(), DEFAULT_SLOTS, DEFAULT_DIRECTORY_CAPACITY, dataLength);
    }

    /**
     * Creates a session file {@code mp4j-<pid>-<random>} in {@code directory}, readable by this user only, and maps
     * it; this process becomes its creator, in slot 0.
     *
     * @param directory         the folder of the file, {@code /dev/shm} on Linux
     * @param slots             process slots, the creator's included: 2..4096
     * @param directoryCapacity shared objects the session can hold: 1..1048576
     * @param dataLength        bytes of the data area the objects are carved from: 4 KiB..1 GiB
     * @return the new session, mapped read-write
     * @throws IllegalArgumentException when a size is out of its range
     * @throws IllegalStateException    when this JVM does not export {@code jdk.internal.misc}
     *                                  (see {@link AgronaAccess})
     * @throws SessionFileException     when the file cannot be created, or {@code directory} has no room for it
     */
    public static Session create(final Path directory, final int slots, final int directoryCapacity, final long dataLength)
    {
        AgronaAccess.check();
        if (slots < 2 || slots > 4096)
        {
            throw new IllegalArgumentException("process slots must be 2..4096, got " + slots);
        }
        if (directoryCapacity < 1 || directoryCapacity > 1 << 20)
        {
            throw new IllegalArgumentException("directory capacity must be 1..1048576, got " + directoryCapacity);
        }
        if (dataLength < 4096 || dataLength > MAX_DATA_LENGTH)
        {
            throw new IllegalArgumentException("data area must be 4 KiB..1 GiB, got " + dataLength + " bytes");
        }
        final ProcessIdentity self = ProcessIdentity.current();
        final long fileLength = SessionLayout.fileLength(slots, directoryCapacity, dataLength);
        for (int attempt = 0; ; attempt++)
        {
            final String name = SessionFiles.PREFIX + self.pid() + "-" +
                String.format("%08x", ThreadLocalRandom.current().nextInt());
            final Path file = directory.resolve(name);
            BackingFile backing = null;
            try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY)))
            {
                channel.truncate(fileLength);
                channel.write(ByteBuffer.allocate(1), fileLength - 1); // sets the size; tmpfs stays sparse
                backing = new BackingFile(file, true, fileLength);
                // Header, process table and directory now; a slot's payload and the data area as they are used.
                backing.reserve(0, SessionLayout.payloadOffset(slots, directoryCapacity), "a new session");
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength);
                final Session session = new Session(file, mapped, false, backing,
                    Geometry.of(slots, directoryCapacity, fileLength, self));
                session.initialise(self, slots, directoryCapacity, dataLength, fileLength);
                return session;
            }
            catch (final SessionFileException ex)
            {
                if (backing != null)
                {
                    backing.close();
                }
                deleteQuietly(file);
                throw ex;
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (attempt > 10)
                {
                    throw new SessionFileException("cannot create a session file in " + directory + ": " + ex, ex);
                }
            }
            catch (final IOException ex)
            {
                if (backing != null)
                {
                    backing.close();
                }
                deleteQuietly(file);
                if (String.valueOf(ex.getMessage()).contains("No space left"))
                {
                    throw BackingFile.noSpace(directory, BackingFile.freeIn(directory),
                        SessionLayout.payloadOffset(slots, directoryCapacity) + 4096, "a new session", ex);
                }
                throw new SessionFileException("cannot create session file " + file + " (" + fileLength +
                    " bytes): " + ex.getMessage() + "; check free space with 'df -h " + directory + "'", ex);
            }
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // the first error says more
        }
    }

    private void initialise(
        final ProcessIdentity self, final int slots, final int directoryCapacity, final long dataLength,
        final long fileLength)
    {
        final long now = System.currentTimeMillis();
        buffer.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        buffer.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        buffer.putLong(FILE_LENGTH_OFFSET, fileLength);
        buffer.putLong(CREATOR_PID_OFFSET, self.pid());
        buffer.putLong(CREATOR_START_OFFSET, self.startMillis());
        buffer.putLong(CREATED_OFFSET, now);
        buffer.putLong(HEARTBEAT_OFFSET, now);
        buffer.putLong(PROCESS_TABLE_OFFSET_OFFSET, processTableOffset());
        buffer.putInt(PROCESS_SLOT_COUNT_OFFSET, slots);
        buffer.putInt(PROCESS_SLOT_LENGTH_OFFSET, SLOT_LENGTH);
        buffer.putLong(DIRECTORY_OFFSET_OFFSET, directoryOffset(slots));
        buffer.putInt(DIRECTORY_CAPACITY_OFFSET, directoryCapacity);
        buffer.putInt(DIRECTORY_ENTRY_LENGTH_OFFSET, ENTRY_LENGTH);
        buffer.putLong(DATA_OFFSET_OFFSET, SessionLayout.dataOffset(slots, directoryCapacity));
        buffer.putLong(DATA_LENGTH_OFFSET, fileLength - SessionLayout.dataOffset(slots, directoryCapacity));
        buffer.putLong(DATA_ALLOCATED_OFFSET, 0);
        buffer.putInt(DIRECTORY_USED_OFFSET, 0);
        buffer.putInt(PAYLOAD_LENGTH_OFFSET, PAYLOAD_LENGTH);
        buffer.putLong(PAYLOAD_OFFSET_OFFSET, SessionLayout.payloadOffset(slots, directoryCapacity));
        Strings.put(buffer, SESSION_NAME_OFFSET, SESSION_NAME_LENGTH, name);
        processTable.claimCreator(self);
        buffer.putLongOrdered(MAGIC_OFFSET, MAGIC);
    }

    /**
     * Attaches to an existing session for reading and writing, after checking that it is one ({@link #validate}).
     *
     * @param file the session file, {@code /dev/shm/mp4j-...}; a symbolic link is refused
     * @return the session, mapped read-write; it does not become {@link #current()}
     * @throws SessionFileException  when the file is not a whole session file of this layout version and this user
     * @throws IllegalStateException when this JVM does not export {@code jdk.internal.misc} (see {@link AgronaAccess})
     */
    public static Session attach(final Path file)
    {
        AgronaAccess.check();
        return open(file, false);
    }

    /**
     * Maps a session read-only, for the inspector: nothing in the file is changed.
     *
     * @param file the session file, {@code /dev/shm/mp4j-...}; a symbolic link is refused
     * @return the session, mapped read-only: a write to its buffer fails
     * @throws SessionFileException  when the file is not a whole session file of this layout version and this user
     * @throws IllegalStateException when this JVM does not export {@code jdk.internal.misc} (see {@link AgronaAccess})
     */
    public static Session openReadOnly(final Path file)
    {
        AgronaAccess.check();
        return open(file, true);
    }

    private static Session open(final Path file, final boolean readOnly)
    {
        final long fileLength = validate(file);
        BackingFile backing = null;
        try (FileChannel channel = FileChannel.open(file, readOnly ?
            EnumSet.of(StandardOpenOption.READ) : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE)))
        {
            backing = new BackingFile(file, !readOnly, fileLength);
            final MappedByteBuffer mapped =
                channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, fileLength);
            try
            {
                return new Session(file, mapped, readOnly, backing, geometry(file, mapped, fileLength));
            }
            catch (final RuntimeException | InternalError ex)
            {
                IoUtil.unmap(mapped);
                throw ex;
            }
        }
        catch (final IOException ex)
        {
            if (backing != null)
            {
                backing.close();
            }
            throw new SessionFileException("cannot map session file " + file + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException | InternalError ex)
        {
            if (backing != null)
            {
                backing.close();
            }
            if (isFault(ex))
            {
                throw new SessionFileException("session file " + file + " was truncated while being opened", ex);
            }
            throw ex;
        }
    }

    /**
     * The geometry, read from the mapping itself and checked again: the header {@link #validate} read with plain
     * reads may have changed before the file was mapped.
     */
    private static Geometry geometry(final Path file, final MappedByteBuffer mapped, final long fileLength)
    {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.put(mapped.duplicate().limit(HEADER_LENGTH)).flip();
        if (header.getLong(MAGIC_OFFSET) != MAGIC || header.getInt(LAYOUT_VERSION_OFFSET) != LAYOUT_VERSION ||
            header.getLong(FILE_LENGTH_OFFSET) != fileLength)
        {
            throw new SessionFileException("session file " + file + " changed while being opened; try again");
        }
        checkGeometry(file, header, fileLength);
        return Geometry.of(header.getInt(PROCESS_SLOT_COUNT_OFFSET), header.getInt(DIRECTORY_CAPACITY_OFFSET),
            fileLength, new ProcessIdentity(header.getLong(CREATOR_PID_OFFSET), header.getLong(CREATOR_START_OFFSET)));
    }

    /**
     * Checks a file before it is mapped, reading its header with plain reads: a mapping past the end of a
     * truncated file would fault (SIGBUS) on first touch instead of failing cleanly here.
     *
     * @param file the file to check; a symbolic link is refused
     * @return the file length the header declares, which the file has.
     * @throws SessionFileException naming what is wrong and the fix: absent, a link or not a regular file, another
     *                              user's or wider than rw-------, no magic yet, another layout version, truncated,
     *                              or a header whose offsets disagree with the layout
     */
    public static long validate(final Path file)
    {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new SessionFileException("session file " + file + " does not exist; 'launcher inspect' with no " +
                "argument shows the newest live session");
        }
        if (Files.isSymbolicLink(file))
        {
            throw new SessionFileException(file + " is a symbolic link, not a session file; mp4j never follows " +
                "links to session files");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new SessionFileException(file + " is not a regular file, so it is not a session file");
        }
        checkOwnerAndMode(file);
        final long actualLength;
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            actualLength = channel.size();
            while (header.hasRemaining() && channel.read(header) > 0)
            {
                // read the whole header, or as much as there is
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new SessionFileException("session file " + file + " disappeared while being opened", ex);
        }
        catch (final IOException ex)
        {
            throw new SessionFileException("cannot read session file " + file + ": " + ex.getMessage(), ex);
        }
        if (header.position() < 8)
        {
            throw new SessionFileException("session file " + file + " is truncated (" + actualLength +
                " bytes, less than a header); it is not usable, remove it with 'launcher clean --all'");
        }
        final long magic = header.getLong(MAGIC_OFFSET);
        if (magic == 0)
        {
            throw new SessionFileException("session file " + file + " has no magic number: its creator is still " +
                "writing it or died while doing so; try again, or remove it with 'launcher clean'");
        }
        if (magic != MAGIC)
        {
            throw new SessionFileException(file + " is not an mp4j session file (magic " +
                String.format("0x%016x", magic) + ", expected \"MP4JSESS\")");
        }
        if (header.position() < HEADER_LENGTH)
        {
            throw new SessionFileException("session file " + file + " is truncated (" + actualLength +
                " bytes, less than its " + HEADER_LENGTH + "-byte header); remove it with 'launcher clean --all'");
        }
        final int version = header.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION)
        {
            throw new SessionFileException("session file " + file + " was made by layout version " + version +
                "; this mp4j reads version " + LAYOUT_VERSION + ": use the mp4j that made it" +
                (version > LAYOUT_VERSION ? " (a newer one)" : " (an older one)"));
        }
        final long declaredLength = header.getLong(FILE_LENGTH_OFFSET);
        if (actualLength < declaredLength)
        {
            throw new SessionFileException("session file " + file + " is truncated: " + actualLength +
                " bytes of the " + declaredLength + " its header declares; remove it with 'launcher clean --all'");
        }
        checkGeometry(file, header, declaredLength);
        return declaredLength;
    }

    /**
     * Whether {@code file} is a session file cut short: shorter than a header, or than the length its header
     * declares. False for anything else (whole, absent, not a session).
     *
     * @param file the file to look at; never throws, whatever it is
     * @return whether it is a truncated session file
     */
    public static boolean wasTruncated(final Path file)
    {
        final ByteBuffer header = ByteBuffer.allocate(FILE_LENGTH_OFFSET + 8).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final long size = channel.size();
            while (header.hasRemaining() && channel.read(header) > 0)
            {
                // the start of the header, or as much as there is
            }
            return size < HEADER_LENGTH ||
                (header.getLong(MAGIC_OFFSET) == MAGIC && size < header.getLong(FILE_LENGTH_OFFSET));
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    private static void checkGeometry(final Path file, final ByteBuffer header, final long fileLength)
    {
        final int slots = header.getInt(PROCESS_SLOT_COUNT_OFFSET);
        final int capacity = header.getInt(DIRECTORY_CAPACITY_OFFSET);
        final boolean consistent = header.getInt(HEADER_LENGTH_OFFSET) == HEADER_LENGTH &&
            header.getInt(PROCESS_SLOT_LENGTH_OFFSET) == SLOT_LENGTH &&
            header.getInt(DIRECTORY_ENTRY_LENGTH_OFFSET) == ENTRY_LENGTH &&
            header.getInt(PAYLOAD_LENGTH_OFFSET) == PAYLOAD_LENGTH &&
            slots >= 2 && slots <= 4096 && capacity >= 1 && capacity <= 1 << 20 &&
            header.getLong(PROCESS_TABLE_OFFSET_OFFSET) == processTableOffset() &&
            header.getLong(DIRECTORY_OFFSET_OFFSET) == directoryOffset(slots) &&
            header.getLong(PAYLOAD_OFFSET_OFFSET) == SessionLayout.payloadOffset(slots, capacity) &&
            header.getLong(DATA_OFFSET_OFFSET) == SessionLayout.dataOffset(slots, capacity) &&
            header.getLong(DATA_OFFSET_OFFSET) + header.getLong(DATA_LENGTH_OFFSET) == fileLength &&
            header.getLong(DATA_ALLOCATED_OFFSET) >= 0 &&
            header.getLong(DATA_ALLOCATED_OFFSET) <= header.getLong(DATA_LENGTH_OFFSET) + OBJECT_ALIGNMENT &&
            header.getInt(DIRECTORY_USED_OFFSET) >= 0;
        if (!consistent)
        {
            throw new SessionFileException("session file " + file + " is corrupt: its header's section offsets " +
                "and sizes do not agree with layout version " + LAYOUT_VERSION + "; remove it with 'launcher clean --all'");
        }
    }

    private static void checkOwnerAndMode(final Path file)
    {
        try
        {
            final String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
            final String user = System.getProperty("user.name");
            if (!owner.equals(user))
            {
                throw new SessionFileException("session file " + file + " belongs to " + owner + ", not to " + user +
                    "; mp4j attaches only to its own user's sessions");
            }
            final Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(mode))
            {
                throw new SessionFileException("session file " + file + " has mode " +
                    PosixFilePermissions.toString(mode) + "; mp4j makes them rw------- (0600) and refuses wider " +
                    "ones: another user could have changed it. Remove it with 'launcher clean --all'");
            }
        }
        catch (final UnsupportedOperationException ex)
        {
            // not a POSIX file system (Windows): the folder's own ACL protects it
        }
        catch (final IOException ex)
        {
            throw new SessionFileException("cannot read the owner of session file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The session of this process; created (this process becomes its creator) on first use in a main program, after
     * removing what killed sessions left behind ({@link StaleSessions}).
     *
     * @return the session, never null
     * @throws IllegalStateException when the JVM is exiting and this process's session has ended already
     */
    public static Session current()
    {
        Session session = current;
        if (session == null)
        {
            synchronized (Session.class)
            {
                session = current;
                if (session == null)
                {
                    if (ended)
                    {
                        throw new IllegalStateException("this process's mp4j session has ended (the JVM is exiting); " +
                            "a new one would outlive it: start processes, pools and shared objects before exit");
                    }
                    StaleSessions.cleanQuietly(); // what killed sessions left behind (see StaleSessions)
                    session = create();
                    SessionLifecycle.creatorStarted(session);
                    current = session;
                    SessionHooks.created(session); // what the floors above start with a session (SessionHook)
                }
            }
        }
        return session;
    }

    /** Called once the exit actions have run: from then on nothing may make a new session in this JVM. */
    static synchronized void markEnded()
    {
        ended = true;
    }

    /**
     * The current session, without creating one.
     *
     * @return the session, or null when this process has none yet
     */
    public static Session currentOrNull()
    {
        return current;
    }

    /**
     * Makes {@code session} the current one: called by the worker once it has attached.
     *
     * @param session the attached session; null forgets the current one
     */
    public static synchronized void setCurrent(final Session session)
    {
        current = session;
    }

    /**
     * Forgets the current session if it is {@code session}, as {@link #close()} does; another current one stays.
     *
     * @param session the session being closed
     */
    public static synchronized void clearCurrent(final Session session)
    {
        if (current == session)
        {
            current = null;
        }
    }

    /**
     * The session file.
     *
     * @return its path, {@code /dev/shm/mp4j-<pid>-<random>} on Linux
     */
    public Path file()
    {
        return file;
    }

    /**
     * The session's name, the file's name, as the inspector and error messages show it.
     *
     * @return {@code mp4j-<pid>-<random>}
     */
    public String name()
    {
        return name;
    }

    /**
     * The whole mapped file, for flyweights over its sections and objects; offsets are absolute
     * ({@link SessionLayout}).
     *
     * @return the buffer over the mapping; unusable once the session is {@link #close() closed}
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Whether the file was mapped read-only ({@link #openReadOnly}).
     *
     * @return true for an inspector's mapping
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /**
     * The table of the session's processes.
     *
     * @return the flyweight over the process table
     */
    public ProcessTable processTable()
    {
        return processTable;
    }

    /**
     * The directory of the session's shared objects.
     *
     * @return the flyweight over the object directory
     */
    public ObjectDirectory directory()
    {
        return directory;
    }

    /**
     * The length the file had when it was created or attached: what is mapped.
     *
     * @return bytes mapped
     */
    public long fileLength()
    {
        return geometry.fileLength();
    }

    /**
     * The process that created the session, as its header recorded it when this process mapped it.
     *
     * @return the creator's pid and start time
     */
    public ProcessIdentity creator()
    {
        return geometry.creator();
    }

    /**
     * When the session was created.
     *
     * @return the time (epoch ms)
     */
    public long createdMillis()
    {
        return buffer.getLong(CREATED_OFFSET);
    }

    /**
     * When the creator last renewed the session's heartbeat.
     *
     * @return the time (epoch ms)
     */
    public long heartbeatMillis()
    {
        return buffer.getLongVolatile(HEARTBEAT_OFFSET);
    }

    /**
     * Renews the session's heartbeat, as the creator does every {@link SessionLayout#HEARTBEAT_INTERVAL_MS} ms.
     *
     * @param nowMillis the current time, epoch ms
     */
    public void heartbeat(final long nowMillis)
    {
        buffer.putLongOrdered(HEARTBEAT_OFFSET, nowMillis);
    }

    /**
     * Where the data area starts.
     *
     * @return its absolute offset in the file
     */
    public long dataOffset()
    {
        return geometry.dataOffset();
    }

    /**
     * The size of the data area.
     *
     * @return bytes shared objects can be carved from
     */
    public long dataLength()
    {
        return geometry.dataLength();
    }

    /**
     * How much of the data area has been handed out; never given back within the session.
     *
     * @return bytes allocated, each object rounded up to {@link SessionLayout#OBJECT_ALIGNMENT}
     */
    public long dataAllocated()
    {
        return buffer.getLongVolatile(DATA_ALLOCATED_OFFSET);
    }

    /**
     * Carves {@code length} bytes, aligned to {@link SessionLayout#OBJECT_ALIGNMENT}, out of the data area.
     *
     * @param length bytes wanted, positive; rounded up to the alignment
     * @return the absolute offset of the new bytes, which are zero.
     * @throws IllegalArgumentException when {@code length} is not positive
     * @throws SessionFullException     when the data area has no room left
     * @throws SessionFileException     when {@code /dev/shm} is full or the header's allocation mark is corrupt
     */
    public long allocate(final long length)
    {
        return allocate(length, length + " bytes of shared objects");
    }

    /**
     * As {@link #allocate(long)}; {@code what} names the object in the error when the file system is full.
     *
     * @param length bytes wanted, positive; rounded up to {@link SessionLayout#OBJECT_ALIGNMENT}
     * @param what   the object the bytes are for, as an error message names it ("a Queue of 1000 items", ...)
     * @return the absolute offset of the new bytes, which are zero.
     * @throws IllegalArgumentException when {@code length} is not positive
     * @throws SessionFullException     when the data area has no room left
     * @throws SessionFileException     when {@code /dev/shm} is full or the header's allocation mark is corrupt
     */
    public long allocate(final long length, final String what)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("allocation length must be positive, got " + length);
        }
        final long aligned = align(length, OBJECT_ALIGNMENT);
        final long capacity = dataLength();
        while (true)
        {
            final long used = buffer.getLongVolatile(DATA_ALLOCATED_OFFSET);
            if (used < 0 || used > capacity + OBJECT_ALIGNMENT || (used & (OBJECT_ALIGNMENT - 1)) != 0)
            {
                throw new SessionFileException("session file " + file + " is corrupt: its data area's allocation " +
                    "mark reads " + used + " of " + capacity + " bytes; something outside mp4j wrote into it");
            }
            if (aligned > capacity - used)
            {
                throw new SessionFullException("session " + name + " has " + Math.max(0, capacity - used) +
                    " bytes free of " + capacity + " and cannot hold " + length + " more; start with a bigger data " +
                    "area (-Dmp4j.session.size=" + Math.max(capacity * 2, capacity + aligned * 2) + ")");
            }
            if (buffer.compareAndSetLong(DATA_ALLOCATED_OFFSET, used, used + aligned))
            {
                final long offset = dataOffset() + used;
                try
                {
                    reserve(offset, aligned, what);
                }
                catch (final SessionFileException ex)
                {
                    // Give the bytes back when nobody took more since: a smaller object may still fit.
                    buffer.compareAndSetLong(DATA_ALLOCATED_OFFSET, used + aligned, used);
                    throw ex;
                }
                return offset;
            }
        }
    }

    /**
     * Has the file system allocate the pages of {@code [offset, offset + length)}, bytes this process has just
     * claimed and nobody uses yet, so that a full {@code /dev/shm} is an error now rather than a fault (SIGBUS)
     * at their first touch. Nothing happens in a read-only session.
     *
     * @param offset absolute offset of the first byte
     * @param length bytes to reserve; 0 does nothing
     * @param what   what the bytes are for, as the error message names it
     * @throws IndexOutOfBoundsException when the bytes are not all inside the mapped file
     * @throws SessionFileException "no space left in /dev/shm (N bytes free, M needed) for ...".
     */
    public void reserve(final long offset, final long length, final String what)
    {
        if (offset < 0 || length < 0 || offset + length > fileLength())
        {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + length) + ") are outside " +
                "session file " + file + " (" + fileLength() + " bytes)");
        }
        if (!readOnly && length > 0)
        {
            backing.reserve(offset, length, what);
        }
    }

    /**
     * Where a process slot's payload area starts: its target and arguments ({@link SessionLayout}, "Payload areas").
     *
     * @param slot the process slot
     * @return the area's absolute offset; it is {@link SessionLayout#PAYLOAD_LENGTH} bytes long
     * @throws IndexOutOfBoundsException when {@code slot} is not a slot of the session
     */
    public long payloadOffset(final int slot)
    {
        if (slot < 0 || slot >= geometry.slots())
        {
            throw new IndexOutOfBoundsException("process slot " + slot + " is outside 0.." + (geometry.slots() - 1));
        }
        return geometry.payloadOffset() + (long)slot * PAYLOAD_LENGTH;
    }

    // ------------------------------------------------------------------------------------------------- damage

    /**
     * What went wrong with the file under this session's mapping, or null while it is whole: today that it was
     * truncated while in use (by a full disk, or a careless {@code truncate}), so that touching a page past its new
     * end faults. The answer costs one {@code fstat}, and a truncation once seen is remembered.
     *
     * @return a message naming the file and the lengths, or null
     */
    public String damage()
    {
        final long truncatedTo = backing.truncatedTo();
        if (truncatedTo < 0)
        {
            return null;
        }
        return "session file " + file + " was truncated to " + truncatedTo + " bytes while in use (it had " +
            backing.mappedLength() + "); something outside mp4j cut it, and the processes using it cannot go on";
    }

    /**
     * Whether the file was truncated while in use: {@link #damage()} is not null.
     *
     * @return true once the file is seen cut short
     */
    public boolean isDamaged()
    {
        return backing.truncatedTo() >= 0;
    }

    /**
     * Whether {@code error} (or one of its causes) is the JVM's report of a fault in mapped memory: HotSpot turns a
     * SIGBUS in an access to a mapped file that was truncated into an {@link InternalError} "a fault occurred in
     * an unsafe memory access operation".
     *
     * @param error any throwable, or null (false)
     * @return whether it or a cause is such a fault
     */
    public static boolean isFault(final Throwable error)
    {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (t instanceof InternalError && String.valueOf(t.getMessage()).contains("unsafe memory access"))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The error to give a caller for {@code error}, a fault in this session's memory: one that says what happened
     * to the file ({@link #damage()}), or that a mapped file was cut short when the session's own file is whole
     * (a {@code SharedMemory} block, say).
     *
     * @param error the fault, kept as the cause
     * @return the error to throw
     */
    public SessionFileException faultError(final Throwable error)
    {
        final String damage = damage();
        return new SessionFileException(damage != null ? damage : "a mapped file was truncated or removed while in " +
            "use (" + error.getMessage() + "); the session " + file + " or a shared memory block is damaged", error);
    }

    /**
     * Once per process: true for the first caller, who reports the damage; the others (a handler, the exit hook, a
     * command's error line) stay quiet, so that a person reads it once.
     *
     * @return true for the first caller in this process only
     */
    public static boolean claimDamageReport()
    {
        return DAMAGE_REPORTED.compareAndSet(false, true);
    }

    /**
     * True when the creator is gone and no process of the table is alive: nobody can use the session again.
     *
     * @return whether the session is stale, its file safe to remove
     */
    public boolean isStale()
    {
        return !creator().isAlive() && processTable.liveCount() == 0;
    }

    /**
     * Whether {@link #close()} has run: the mapping is gone.
     *
     * @return true once closed
     */
    public boolean isClosed()
    {
        return closed;
    }

    /** Unmaps the file; the file itself stays (see {@link #unlink()}). */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            clearCurrent(this);
            IoUtil.unmap(mapped);
            backing.close();
        }
    }

    /**
     * Where a file that belongs to this session and goes with it lives: {@link SessionFiles#sideFile}.
     *
     * @param tag lower-case letters, digits and dashes, not empty
     * @return {@code <session file>.<tag>}, in the session file's folder
     * @throws IllegalArgumentException when {@code tag} has another character or is empty
     */
    public Path sideFile(final String tag)
    {
        return SessionFiles.sideFile(file, tag);
    }

    /**
     * Removes the session file and its side files. Processes that still map them keep their mapping until they
     * unmap it.
     */
    public void unlink()
    {
        try
        {
            Files.deleteIfExists(file);
            SessionFiles.deleteSideFiles(file);
        }
        catch (final IOException ex)
        {
            throw new SessionFileException("cannot remove session file " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String toString()
    {
        return "Session[" + file + "]";
    }

    static String decodeName(final AtomicBuffer buffer)
    {
        return Strings.get(buffer, SESSION_NAME_OFFSET, SESSION_NAME_LENGTH);
    }

    static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
