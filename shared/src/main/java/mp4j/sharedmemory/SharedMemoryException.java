package mp4j.sharedmemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * A shared memory block could not be created, attached or removed: the Java form of CPython's
 * {@code FileExistsError} ({@link #cause()} is a {@link FileAlreadyExistsException}), {@code FileNotFoundError}
 * (a {@link NoSuchFileException}) and {@code OSError}. Bad arguments (size 0, a bad name) are
 * {@link IllegalArgumentException}s, as CPython's {@code ValueError}s.
 */
public class SharedMemoryException extends UncheckedIOException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error naming the block, its file and the fix.
     *
     * @param message what failed, with the block's name and path.
     * @param cause   the I/O error behind it; its class tells exists from not found.
     */
    public SharedMemoryException(final String message, final IOException cause)
    {
        super(message, cause);
    }

    /**
     * Whether the block exists already (create): CPython's {@code FileExistsError}.
     *
     * @return true when the cause is a {@link FileAlreadyExistsException}.
     */
    public boolean isExists()
    {
        return getCause() instanceof FileAlreadyExistsException;
    }

    /**
     * Whether the block does not exist (attach, unlink): CPython's {@code FileNotFoundError}.
     *
     * @return true when the cause is a {@link NoSuchFileException}.
     */
    public boolean isNotFound()
    {
        return getCause() instanceof NoSuchFileException;
    }

    /**
     * The I/O error behind this one.
     *
     * @return the cause, as given.
     */
    public IOException cause()
    {
        return getCause();
    }
}
