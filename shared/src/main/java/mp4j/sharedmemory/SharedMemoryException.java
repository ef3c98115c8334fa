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

    public SharedMemoryException(final String message, final IOException cause)
    {
        super(message, cause);
    }

    /** The block exists already (create) — CPython's {@code FileExistsError}. */
    public boolean isExists()
    {
        return getCause() instanceof FileAlreadyExistsException;
    }

    /** The block does not exist (attach, unlink) — CPython's {@code FileNotFoundError}. */
    public boolean isNotFound()
    {
        return getCause() instanceof NoSuchFileException;
    }

    public IOException cause()
    {
        return getCause();
    }
}
