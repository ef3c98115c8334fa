package mp4j.session;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file under a mapping, kept open beside it: it tells whether the file was truncated while mapped (a page past
 * its end would fault on the next touch), and it reserves pages before they are used.
 * <p>
 * A mapped page of a tmpfs file that does not exist yet is allocated on first touch; when the file system is full
 * that touch faults (SIGBUS) instead of failing. {@link #reserve} writes the zeros through the file instead, so that
 * running out is an {@code ENOSPC} error where the memory is asked for. Java has no {@code posix_fallocate}; a write
 * costs about what the first touch of each page would have cost anyway (CPython zero-fills a new {@code Array}
 * with {@code memset}, touching every page too).
 * <p>
 * A {@link RandomAccessFile}, not a {@code FileChannel}: a channel is closed for good when a thread using it is
 * interrupted, and any of a program's threads may allocate.
 */
final class BackingFile implements AutoCloseable
{
    private static final byte[] ZEROS = new byte[64 * 1024];
    private static final long PAGE = 4096;

    private final Path path;
    private final RandomAccessFile file;
    private final long mappedLength;
    private volatile long truncatedTo = -1;
    private volatile FileStore store;
    /** Whole pages [spanStart, spanEnd) this process reserved last (guarded by {@link #file}). */
    private long spanStart;
    private long spanEnd;

    BackingFile(final Path path, final boolean writable, final long mappedLength) throws IOException
    {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), writable ? "rw" : "r");
        this.mappedLength = mappedLength;
    }

    /**
     * The file's length now when it is shorter than what is mapped (it was truncated while in use), else -1. Once
     * seen, a truncation is remembered: bytes cut off and grown back are zeros, not what was there.
     */
    long truncatedTo()
    {
        if (truncatedTo < 0)
        {
            try
            {
                final long length = file.length(); // fstat of the open file, even when its name was removed
                if (length < mappedLength)
                {
                    truncatedTo = length;
                }
            }
            catch (final IOException ex)
            {
                // closed: nothing more to learn
            }
        }
        return truncatedTo;
    }

    long mappedLength()
    {
        return mappedLength;
    }

    /**
     * Writes zeros over {@code [offset, offset + length)}, so that the file system allocates those pages now.
     * Only for bytes nobody uses yet: they must be zero already.
     *
     * @throws SessionFileException when the file system is full: "no space left in DIR (N bytes free, M needed)".
     */
    void reserve(final long offset, final long length, final String what)
    {
        // Asked first when more than one write: a write that fails half way has taken what it wrote, and a file's
        // middle cannot be given back (Java has no hole punching), so a request that cannot fit must not start.
        if (length > ZEROS.length)
        {
            final long free = usableSpace();
            if (free >= 0 && length > free)
            {
                throw noSpace(path.getParent(), free, length, what, new IOException("No space left on device"));
            }
        }
        try
        {
            synchronized (file)
            {
                final long end = offset + length;
                // Pages this process reserved last are there still: many small objects in a row cost one write a page.
                long at = offset >= spanStart && offset < spanEnd ? spanEnd : offset;
                if (at >= end)
                {
                    return;
                }
                final long first = at;
                while (at < end)
                {
                    final int chunk = (int)Math.min(ZEROS.length, end - at);
                    file.seek(at);
                    file.write(ZEROS, 0, chunk);
                    at += chunk;
                }
                spanStart = offset >= spanStart && offset < spanEnd ? spanStart : first & -PAGE;
                spanEnd = (end + PAGE - 1) & -PAGE;
            }
        }
        catch (final IOException ex)
        {
            throw noSpace(path.getParent(), usableSpace(), length, what, ex);
        }
    }

    /**
     * The error for a file system that cannot hold {@code needed} more bytes (or another write error): it says how
     * much is free, how much was asked for, and for what.
     */
    static SessionFileException noSpace(final Path directory, final long free, final long needed, final String what,
        final IOException cause)
    {
        final String message = String.valueOf(cause.getMessage());
        if (message.contains("No space left") || (free >= 0 && free < needed))
        {
            return new SessionFileException("no space left in " + directory + " (" + free + " bytes free, " +
                needed + " needed) for " + what + "; free some (see 'df -h " + directory + "', and 'launcher clean' " +
                "for files of dead sessions)", cause);
        }
        return new SessionFileException("cannot reserve " + needed + " bytes in " + directory + " for " + what +
            ": " + message, cause);
    }

    /** Bytes free in {@code directory}, or -1 when unknown. */
    static long freeIn(final Path directory)
    {
        try
        {
            return Files.getFileStore(directory).getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /** Bytes free where the file is, or -1 when unknown; the file store is looked up once (it reads the mount table). */
    private long usableSpace()
    {
        try
        {
            FileStore found = store;
            if (found == null)
            {
                found = Files.getFileStore(path.getParent());
                store = found;
            }
            return found.getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    @Override
    public void close()
    {
        try
        {
            file.close();
        }
        catch (final IOException ex)
        {
            // nothing to do: the mapping is what mattered
        }
    }
}
