package mp4j.sharedmemory;

import mp4j.session.FileOwner;
import mp4j.session.Printable;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * CPython's {@code multiprocessing.shared_memory.SharedMemory}: a named block of memory in
 * {@code /dev/shm/<name>}, exactly where CPython puts it, so a Java process and a Python process can share it:
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create("prices", 1 << 20)) {   // Python: SharedMemory("prices", True, 1 << 20)
 *     shm.buf().putDouble(0, 101.5);                                    // Python: struct.pack_into("d", shm.buf, 0, 101.5)
 *     ...
 *     shm.unlink();                                                     // once, by one process
 * }
 * // in Python: shm = SharedMemory("prices"); struct.unpack_from("d", shm.buf, 0)
 * }</pre>
 * The block is the user's bytes only: there is no header of ours in it (a Python process sees exactly
 * {@code size} bytes). It is created with mode 0600, as CPython does, and {@link #attach(String)} accepts only a
 * block of the current user with no wider mode (the checks mp4j makes of its session files; a block shared on
 * purpose with another user needs {@link AttachOption#OTHER_USERS}). As in CPython, {@link #close()} ends this
 * process's access and {@link #unlink()} removes the block (processes still attached keep their mapping). A
 * block you create yourself is yours to unlink (CPython's {@code track=False}); blocks handed out by a
 * {@link SharedMemoryManager} are unlinked by the manager, or by the session's cleanup when their process dies.
 *
 * <h2>Why {@link #buf()} is an Agrona {@link UnsafeBuffer}</h2>
 * mp4j already maps every session file with Agrona, so the block's view costs no extra dependency, needs no
 * JVM flag beyond the one export mp4j already has, and loads in no time; it offers little-endian
 * {@code getLong}/{@code putDouble}/..., volatile and CAS access (a block can hold counters and flags that
 * several processes update) and bulk copies that are single {@code Unsafe.copyMemory} calls. Chronicle Bytes
 * would give the same view but needs about nine {@code --add-opens} flags and ~300 ms to load, a poor trade for
 * a view over bytes. Offsets are {@code int}s, so a block holds at most {@link #MAX_SIZE} bytes.
 * <p>
 * After {@link #close()} the view is re-pointed at an empty array: a stale reference fails with an
 * {@link IndexOutOfBoundsException} instead of touching unmapped memory (which would crash the JVM).
 * <p>
 * Sharing with Python: CPython before 3.13 registers a block it merely attaches to with its resource tracker,
 * which unlinks the block when that Python program ends. A Python process that should leave a Java block alone
 * calls {@code resource_tracker.unregister(shm._name, "shared_memory")} after attaching (3.13+:
 * {@code SharedMemory(name, track=False)}).
 * <p>
 * Passing a {@code SharedMemory} to a worker ({@code mp4j.process.Process} argument, or captured by a lambda)
 * sends its name; the worker attaches to the same block, as CPython pickles it by name.
 */
public final class SharedMemory implements AutoCloseable, Serializable
{
    /** The largest block: Agrona buffers (and Java 17 mappings) are indexed by {@code int}. */
    public static final long MAX_SIZE = Integer.MAX_VALUE;

    private static final long serialVersionUID = 1L;
    private static final byte[] CLOSED = new byte[0];

    /** The block's name: a single file name in the shared memory folder. */
    private final String name;
    /** The block's file. */
    private final Path path;
    /** Bytes in the block. */
    private final long size;
    /** Whether it was attached as shared on purpose with other users ({@link AttachOption#OTHER_USERS}). */
    private final boolean otherUsers;
    private final transient UnsafeBuffer buffer;
    private final transient FileChannel channel;
    private transient MappedByteBuffer mapped;
    /**
     * A second, read-only mapping of the block, made by the first large read ({@link BulkCopy}): a page this process
     * has not touched yet costs a fault on first use, and through a writable shared mapping that fault cost 4-5 times
     * what it costs through a read-only one (1 GiB read by two threads: 0.97 GB/s against 3.4 GB/s on this project's
     * 2-core VM; 28 GB/s both, once touched). Null until then, and once closed.
     */
    private transient MappedByteBuffer readOnly;
    private transient volatile UnsafeBuffer readView;

    private SharedMemory(final String name, final Path path, final FileChannel channel, final MappedByteBuffer mapped,
        final boolean otherUsers)
    {
        this.name = name;
        this.otherUsers = otherUsers;
        this.path = path;
        this.channel = channel;
        this.mapped = mapped;
        this.size = mapped.capacity();
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * CPython's constructor, {@code SharedMemory(name=None, create=False, size=0)}.
     *
     * @param name   the block's name; null with {@code create} for a random {@code psm_} name.
     * @param create true to create a new block of {@code size} bytes, false to attach to an existing one.
     * @param size   bytes of a new block; ignored when attaching (the block's own size is used), as in CPython.
     * @return the mapped block; {@link #close()} it, and {@link #unlink()} it when done with it for good.
     * @throws IllegalArgumentException when {@code size} is negative, or no name is given to attach.
     * @throws SharedMemoryException    as {@link #create(String, long)} and {@link #attach(String)} throw.
     */
    public static SharedMemory open(final String name, final boolean create, final long size)
    {
        if (create)
        {
            return name == null ? create(size) : create(name, size);
        }
        if (size < 0)
        {
            throw new IllegalArgumentException("size must be a positive number, got " + size);
        }
        if (name == null)
        {
            throw new IllegalArgumentException("a name is needed to attach to a block; only create can choose one");
        }
        return attach(name);
    }

    /**
     * Creates a block with a random name ({@code psm_} and 8 hex digits, as CPython's), all zero, mode 0600.
     *
     * @param size the block's size in bytes, at least 1.
     * @return the mapped block.
     * @throws IllegalArgumentException when {@code size} is below 1.
     * @throws SharedMemoryException    when the shared memory folder has less free space than {@code size}.
     */
    public static SharedMemory create(final long size)
    {
        checkSize(size);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return create(SharedMemoryNames.random(), size);
            }
            catch (final SharedMemoryException ex)
            {
                if (!ex.isExists() || attempt > 100)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * Creates the block {@code name} of {@code size} bytes, all zero, mode 0600.
     *
     * @param name the block's name, a single file name ({@code /dev/shm/NAME}; no '/', see {@link SharedMemoryNames}).
     * @param size the block's size in bytes, at least 1.
     * @return the mapped block.
     * @throws IllegalArgumentException a bad name (checked before any file is touched) or a size below 1.
     * @throws SharedMemoryException    the block exists already ({@link SharedMemoryException#isExists()}), or
     *                                  the shared memory folder has less free space than {@code size}.
     */
    public static SharedMemory create(final String name, final long size)
    {
        final Path path = SharedMemoryNames.path(name);
        checkSize(size);
        checkFreeSpace(name, path.getParent(), size);
        FileChannel channel = null;
        try
        {
            // the channel stays open while the block is (CPython keeps its fd too): large writes use pwrite(2)
            channel = FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try
            {
                channel.write(ByteBuffer.allocate(1), size - 1); // the size, as ftruncate; tmpfs stays sparse
                return new SharedMemory(name, path, channel, channel.map(FileChannel.MapMode.READ_WRITE, 0, size),
                    false);
            }
            catch (final IOException | RuntimeException ex)
            {
                channel.close();
                Files.deleteIfExists(path);
                throw ex;
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new SharedMemoryException("shared memory block '" + name + "' already exists (" + path +
                "); attach to it with SharedMemory.attach(\"" + name + "\"), or pick another name", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new SharedMemoryException("cannot create shared memory block '" + name + "' in " +
                path.getParent() + ": permission denied; the folder is not writable for " + currentUser(), ex);
        }
        catch (final IOException ex)
        {
            throw new SharedMemoryException("cannot create shared memory block '" + name + "' of " + size +
                " bytes in " + path.getParent() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Attaches to the existing block {@code name}, whatever made it (Java or Python); its size is the file's.
     * The block must be the current user's, with no wider mode than {@code rw-------} (0600), as CPython and
     * mp4j make them: see {@link #attach(String, AttachOption...)} for one shared on purpose with another user.
     *
     * @param name the block's name, as CPython's.
     * @return the mapped block, of the block's own size.
     * @throws SharedMemoryException the block does not exist ({@link SharedMemoryException#isNotFound()}), is
     *                               not a regular file (a link is never followed), is empty, belongs to another
     *                               user or lets other users in, or may not be opened (permission denied).
     */
    public static SharedMemory attach(final String name)
    {
        return attach(name, new AttachOption[0]);
    }

    /**
     * Attaches to the existing block {@code name}, with {@code options} widening what is accepted: with
     * {@link AttachOption#OTHER_USERS}, a block of another user or one open to other users (shared on purpose).
     * The system property {@code mp4j.shm.otherUsers} (block names separated by commas, or {@code *}) has the
     * same effect for the blocks it names. Passed to a worker, the block keeps its options.
     *
     * @param name    the block's name, as CPython's.
     * @param options what else to accept; none is {@link #attach(String)}.
     * @return the mapped block.
     * @throws SharedMemoryException as {@link #attach(String)}, but for the checks the options lift.
     */
    public static SharedMemory attach(final String name, final AttachOption... options)
    {
        final Path path = SharedMemoryNames.path(name);
        final boolean otherUsers = List.of(options).contains(AttachOption.OTHER_USERS) || isSharedByProperty(name);
        try
        {
            final Object before = checkOwnerAndMode(name, path, otherUsers);
            final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
            try
            {
                final long size = checkAttachable(name, path, channel, before);
                return new SharedMemory(name, path, channel, channel.map(FileChannel.MapMode.READ_WRITE, 0, size),
                    otherUsers);
            }
            catch (final IOException | RuntimeException ex)
            {
                channel.close();
                throw ex;
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new SharedMemoryException("shared memory block '" + name + "' does not exist (no " + path +
                "); create it with SharedMemory.create(\"" + name + "\", size)", ex);
        }
        catch (final SharedMemoryException ex)
        {
            throw ex;
        }
        catch (final AccessDeniedException ex)
        {
            throw new SharedMemoryException("cannot attach to shared memory block '" + name + "' (" + path +
                ", owner " + owner(path) + ", mode " + mode(path) + "): permission denied for " + currentUser() +
                "; run as its owner, or have the owner give you read and write access if sharing it is intended " +
                "(then attach with AttachOption.OTHER_USERS)", ex);
        }
        catch (final IOException ex)
        {
            throw new SharedMemoryException(Files.isSymbolicLink(path) ?
                path + " is a symbolic link, not a shared memory block; mp4j never follows links there" :
                "cannot attach to shared memory block '" + name + "' (" + path + "): " + ex.getMessage(), ex);
        }
    }

    /**
     * Whether a block {@code name} exists.
     *
     * @param name the block's name, as CPython's.
     * @return true when {@code /dev/shm/NAME} exists.
     */
    public static boolean exists(final String name)
    {
        return Files.exists(SharedMemoryNames.path(name), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Removes the block {@code name} without attaching to it.
     *
     * @param name the block's name, as CPython's.
     * @throws SharedMemoryException when there is no such block, as CPython's {@code shm_unlink}.
     */
    public static void unlink(final String name)
    {
        final Path path = SharedMemoryNames.path(name);
        try
        {
            Files.delete(path);
        }
        catch (final NoSuchFileException ex)
        {
            throw new SharedMemoryException("shared memory block '" + name + "' does not exist (no " + path +
                "); it was unlinked already", ex);
        }
        catch (final IOException ex)
        {
            if (ex instanceof AccessDeniedException || !FileOwner.isCurrentUsers(path))
            {
                // EACCES, or EPERM from a sticky folder such as /dev/shm ("Operation not permitted")
                throw new SharedMemoryException("cannot unlink shared memory block '" + name + "' (" + path +
                    ", owner " + owner(path) + "): permission denied for " + currentUser() + "; " +
                    path.getParent() + " lets only a file's owner (or root) remove it", ex);
            }
            throw new SharedMemoryException("cannot unlink shared memory block '" + name + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * The session file's checks, applied to a block before it is opened: a regular file (never a link), the
     * current user's, no wider mode than 0600; unless {@code otherUsers}. Returns the file's key, which must be
     * the opened file's too.
     */
    private static Object checkOwnerAndMode(final String name, final Path path, final boolean otherUsers)
        throws IOException
    {
        final BasicFileAttributes attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink())
        {
            throw new SharedMemoryException(path + " is a symbolic link, not a shared memory block; mp4j never " +
                "follows links there", new IOException("symbolic link"));
        }
        if (!attributes.isRegularFile())
        {
            throw new SharedMemoryException(path + " is not a regular file, so not a shared memory block",
                new IOException("not a regular file"));
        }
        if (otherUsers)
        {
            return attributes.fileKey();
        }
        if (!FileOwner.isCurrentUsers(path))
        {
            throw new SharedMemoryException("shared memory block '" + name + "' (" + path + ") belongs to " +
                owner(path) + ", not to " + currentUser() + "; mp4j attaches only to its own user's blocks, as " +
                "to its sessions. If it is shared with you on purpose, attach with SharedMemory.attach(\"" + name +
                "\", AttachOption.OTHER_USERS) or -Dmp4j.shm.otherUsers=" + name, new IOException("another owner"));
        }
        final Set<PosixFilePermission> mode = posixMode(path);
        if (mode != null && FileOwner.isWiderThanOwnerOnly(mode))
        {
            throw new SharedMemoryException("shared memory block '" + name + "' (" + path + ") has mode " +
                PosixFilePermissions.toString(mode) + "; mp4j and CPython make blocks rw------- (0600), and a wider " +
                "one lets other users change it. Narrow it (chmod 600 " + path + ") or, if it is shared on purpose, " +
                "attach with AttachOption.OTHER_USERS or -Dmp4j.shm.otherUsers=" + name,
                new IOException("mode wider than 0600"));
        }
        return attributes.fileKey();
    }

    private static boolean isSharedByProperty(final String name)
    {
        final String shared = System.getProperty("mp4j.shm.otherUsers", "");
        for (final String entry : shared.split(","))
        {
            if (entry.strip().equals("*") || entry.strip().equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private static long checkAttachable(final String name, final Path path, final FileChannel channel,
        final Object checkedKey) throws IOException
    {
        final BasicFileAttributes attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile() || (checkedKey != null && !checkedKey.equals(attributes.fileKey())))
        {
            throw new SharedMemoryException("shared memory block '" + name + "' (" + path + ") was replaced " +
                "while being attached; try again", new IOException("file replaced"));
        }
        final long size = channel.size(); // of the open file: what we map is what is there
        if (size == 0)
        {
            throw new SharedMemoryException("shared memory block '" + name + "' is empty (0 bytes); its creator " +
                "may still be sizing it, or died doing so", new IOException("empty file"));
        }
        if (size > MAX_SIZE)
        {
            throw new SharedMemoryException("shared memory block '" + name + "' is " + size + " bytes; mp4j maps " +
                "blocks of at most " + MAX_SIZE + " bytes (2 GiB - 1)", new IOException("file too large"));
        }
        return size;
    }

    private static Set<PosixFilePermission> posixMode(final Path path)
    {
        try
        {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return null; // not a POSIX file system: nothing to compare
        }
    }

    private static String owner(final Path path)
    {
        final String owner = FileOwner.name(path);
        return owner == null ? "?" : Printable.escape(owner);
    }

    private static String mode(final Path path)
    {
        final Set<PosixFilePermission> mode = posixMode(path);
        return mode == null ? "?" : PosixFilePermissions.toString(mode);
    }

    private static String currentUser()
    {
        return Printable.escape(System.getProperty("user.name", "this user"));
    }

    static void checkSize(final long size)
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("size must be a positive number different from zero, got " + size);
        }
        if (size > MAX_SIZE)
        {
            throw new IllegalArgumentException("size " + size + " is over the " + MAX_SIZE +
                " bytes (2 GiB - 1) a block can have");
        }
    }

    /** Package-private for tests: no test machine has a /dev/shm smaller than a block can be. */
    static void checkFreeSpace(final String name, final Path directory, final long size)
    {
        final long free;
        try
        {
            final FileStore store = Files.getFileStore(directory);
            free = store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            throw new SharedMemoryException("cannot read the free space of " + directory + ": " + ex.getMessage(), ex);
        }
        if (size > free)
        {
            // tmpfs would accept the file and kill the first process that touches a page past the free space.
            // The pages are not reserved here, as CPython does not: a block is often far bigger than what is
            // written (1 GiB of zeros took 1-8 s to write on the benchmark machine), and its pages are taken as
            // they are first touched. What another program takes meanwhile can still make a touch fault.
            throw new SharedMemoryException("no space left in " + directory + " (" + free + " bytes free, " + size +
                " needed) for shared memory block '" + name + "'; free some (see 'df -h " + directory + "')",
                new IOException("No space left on device"));
        }
    }

    /**
     * The block's name, as CPython's {@code name}.
     *
     * @return the name, a single file name in the shared memory folder.
     */
    public String name()
    {
        return name;
    }

    /**
     * The block's file.
     *
     * @return {@code /dev/shm/NAME}.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Bytes in the block, as CPython's {@code size}.
     *
     * @return the size; it does not change.
     */
    public long size()
    {
        return size;
    }

    /**
     * The block's bytes, as CPython's {@code buf}.
     *
     * @return a buffer over offsets 0 to {@code size() - 1}, valid until {@link #close()} (then it is empty).
     */
    public AtomicBuffer buf()
    {
        return buffer;
    }

    /**
     * Whether this process closed its access to the block.
     *
     * @return true after {@link #close()}.
     */
    public boolean isClosed()
    {
        return mapped == null;
    }

    /**
     * Copies {@code src} into the block at {@code offset}.
     *
     * @param offset the block's first byte written, from 0.
     * @param src    the bytes.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void write(final long offset, final byte[] src)
    {
        write(offset, src, 0, src.length);
    }

    /**
     * Copies {@code length} bytes of {@code src} into the block at {@code offset}. Copies of 16 MiB or more into
     * pages not touched yet run at several times the speed of a plain copy (see {@code BulkCopy}).
     *
     * @param offset    the block's first byte written, from 0.
     * @param src       the source array.
     * @param srcOffset the first index of {@code src} copied.
     * @param length    how many bytes.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void write(final long offset, final byte[] src, final int srcOffset, final int length)
    {
        final int index = at(offset, length);
        java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
        BulkCopy.write(buffer, channel, index, src, srcOffset, length);
    }

    /**
     * Copies {@code src}'s remaining bytes into the block at {@code offset} and advances its position.
     *
     * @param offset the block's first byte written, from 0.
     * @param src    the bytes, from its position to its limit.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void write(final long offset, final ByteBuffer src)
    {
        final int length = src.remaining();
        if (src.hasArray())
        {
            write(offset, src.array(), src.arrayOffset() + src.position(), length);
        }
        else
        {
            buffer.putBytes(at(offset, length), src, src.position(), length);
        }
        src.position(src.position() + length);
    }

    /**
     * Copies {@code dst.length} bytes from the block at {@code offset}.
     *
     * @param offset the block's first byte copied, from 0.
     * @param dst    where to copy to.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void read(final long offset, final byte[] dst)
    {
        read(offset, dst, 0, dst.length);
    }

    /**
     * Copies {@code length} bytes of the block at {@code offset} to {@code dst}; large copies use all cores.
     *
     * @param offset the block's first byte copied, from 0.
     * @param dst       where to copy to.
     * @param dstOffset the first index of {@code dst} written.
     * @param length    how many bytes.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void read(final long offset, final byte[] dst, final int dstOffset, final int length)
    {
        final int index = at(offset, length);
        java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
        BulkCopy.read(BulkCopy.isParallel(length) ? readView() : buffer, index, dst, dstOffset, length);
    }

    /**
     * Fills {@code dst}'s remaining bytes from the block at {@code offset} and advances its position.
     *
     * @param offset the block's first byte copied, from 0.
     * @param dst    where to copy to, from its position to its limit.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void read(final long offset, final ByteBuffer dst)
    {
        final int length = dst.remaining();
        if (dst.hasArray() && !dst.isReadOnly())
        {
            read(offset, dst.array(), dst.arrayOffset() + dst.position(), length);
        }
        else
        {
            buffer.getBytes(at(offset, length), dst, dst.position(), length);
        }
        dst.position(dst.position() + length);
    }

    /**
     * Copies {@code src} at {@code offset}, native byte order (as numpy's int64 and struct's {@code @q}).
     *
     * @param offset the block's first byte written, from 0; 8-byte alignment is not required.
     * @param src    the values, 8 bytes each.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void write(final long offset, final long[] src)
    {
        view(offset, (long)src.length * Long.BYTES).asLongBuffer().put(src);
    }

    /**
     * Fills {@code dst} from the block at {@code offset}, native byte order.
     *
     * @param offset the block's first byte copied, from 0.
     * @param dst    where to copy to, 8 bytes a value.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void read(final long offset, final long[] dst)
    {
        view(offset, (long)dst.length * Long.BYTES).asLongBuffer().get(dst);
    }

    /**
     * Copies {@code src} at {@code offset}, native byte order (as numpy's int32).
     *
     * @param offset the block's first byte written, from 0.
     * @param src    the values, 4 bytes each.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void write(final long offset, final int[] src)
    {
        view(offset, (long)src.length * Integer.BYTES).asIntBuffer().put(src);
    }

    /**
     * Fills {@code dst} from the block at {@code offset}, native byte order.
     *
     * @param offset the block's first byte copied, from 0.
     * @param dst    where to copy to, 4 bytes a value.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void read(final long offset, final int[] dst)
    {
        view(offset, (long)dst.length * Integer.BYTES).asIntBuffer().get(dst);
    }

    /**
     * Copies {@code src} at {@code offset}, native byte order (as numpy's float64).
     *
     * @param offset the block's first byte written, from 0.
     * @param src    the values, 8 bytes each.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void write(final long offset, final double[] src)
    {
        view(offset, (long)src.length * Double.BYTES).asDoubleBuffer().put(src);
    }

    /**
     * Fills {@code dst} from the block at {@code offset}, native byte order.
     *
     * @param offset the block's first byte copied, from 0.
     * @param dst    where to copy to, 8 bytes a value.
     * @throws IndexOutOfBoundsException when the bytes are outside the block or the array; nothing is copied.
     * @throws IllegalStateException     after {@link #close()}.
     */
    public void read(final long offset, final double[] dst)
    {
        view(offset, (long)dst.length * Double.BYTES).asDoubleBuffer().get(dst);
    }

    private ByteBuffer view(final long offset, final long length)
    {
        final int start = at(offset, length);
        return mapped().duplicate().position(start).limit(start + (int)length).slice().order(ByteOrder.nativeOrder());
    }

    private int at(final long offset, final long length)
    {
        mapped();
        if (offset < 0 || length < 0 || offset > size - length)
        {
            throw new IndexOutOfBoundsException("bytes " + offset + ".." + (offset + length) + " are outside " +
                "shared memory block '" + name + "' of " + size + " bytes");
        }
        return (int)offset;
    }

    /** The read-only mapping's buffer, made on first use; the writable one's when a second mapping fails. */
    private AtomicBuffer readView()
    {
        final UnsafeBuffer view = readView;
        if (view != null)
        {
            return view;
        }
        synchronized (this)
        {
            mapped(); // closed: says so
            if (readView == null)
            {
                try
                {
                    readOnly = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
                    readView = new UnsafeBuffer(readOnly);
                }
                catch (final IOException ex)
                {
                    return buffer; // no address space for a second mapping: the first serves, only slower
                }
            }
            return readView;
        }
    }

    private MappedByteBuffer mapped()
    {
        final MappedByteBuffer m = mapped;
        if (m == null)
        {
            throw new IllegalStateException("shared memory block '" + name + "' is closed in this process; " +
                "attach again with SharedMemory.attach(\"" + name + "\")");
        }
        return m;
    }

    /** Ends this process's access to the block (its buffer becomes empty); the block stays, see {@link #unlink()}. */
    @Override
    public synchronized void close()
    {
        final MappedByteBuffer m = mapped;
        if (m != null)
        {
            mapped = null;
            buffer.wrap(CLOSED);
            IoUtil.unmap(m);
            final UnsafeBuffer view = readView;
            if (view != null)
            {
                readView = null;
                view.wrap(CLOSED);
                IoUtil.unmap(readOnly);
                readOnly = null;
            }
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // the mapping is gone, which is what close promises; a failing close of the fd changes nothing
            }
        }
    }

    /**
     * Removes the block, once, by one process (as CPython's {@code unlink}); processes attached to it keep their
     * mapping until they close it.
     *
     * @throws SharedMemoryException when the block was unlinked already.
     */
    public void unlink()
    {
        unlink(name);
    }

    @Override
    public String toString()
    {
        return "SharedMemory('" + name + "', size=" + size + ")";
    }

    /**
     * Serialization: a block travels as its name, as CPython pickles {@code SharedMemory}; the receiver attaches.
     *
     * @return the reference the receiving process attaches with.
     * @throws ObjectStreamException never; declared by the serialization contract.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return new Ref(name, otherUsers);
    }

    /**
     * What a block becomes on the wire: its name, as CPython pickles {@code SharedMemory}, and whether it was
     * attached as shared with other users, so the worker applies the checks its sender chose.
     *
     * @param name       the block's name.
     * @param otherUsers whether to attach with {@link AttachOption#OTHER_USERS}.
     */
    private record Ref(String name, boolean otherUsers) implements Serializable
    {
        private Object readResolve() throws ObjectStreamException
        {
            try
            {
                return otherUsers ? attach(Objects.requireNonNull(name), AttachOption.OTHER_USERS) :
                    attach(Objects.requireNonNull(name));
            }
            catch (final RuntimeException ex)
            {
                final InvalidObjectException failure = new InvalidObjectException(ex.getMessage());
                failure.initCause(ex);
                throw failure;
            }
        }
    }
}
