package mp4j.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A task's exception reaches the caller as itself (its type, message, fields and the worker's stack trace), as
 * Python re-raises it with its RemoteTraceback; as text (RemoteException) only where it cannot be rebuilt here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskExceptionTest
{
    private static Pool pool;

    @BeforeAll
    static void startPool()
    {
        pool = new Pool(new PoolConfig().processes(1).name("TaskExceptionTest"));
    }

    @AfterAll
    static void stopPool()
    {
        if (pool != null)
        {
            pool.terminate();
        }
    }

    /** A user's own checked exception with a field of its own. */
    public static final class Overdrawn extends Exception
    {
        private static final long serialVersionUID = 1L;
        public final long balance;

        public Overdrawn(final String message, final long balance)
        {
            super(message);
            this.balance = balance;
        }
    }

    /** An exception that cannot travel: it holds something that is not serializable. */
    public static final class HoldsALock extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object lock = new Object();

        public HoldsALock(final String message)
        {
            super(message);
        }
    }

    private static boolean hasFrame(final Throwable error, final String className, final String method)
    {
        return Arrays.stream(error.getStackTrace())
            .anyMatch(frame -> frame.getClassName().equals(className) && frame.getMethodName().equals(method));
    }

    @Test
    void applyThrowsTheTasksTypeFromTheCallSiteWithTheRemoteExceptionAsCause()
    {
        IllegalArgumentException caught = null;
        try
        {
            pool.apply(a ->
            {
                throw new IllegalArgumentException("bad " + a[0]);
            }, 3);
        }
        catch (final IllegalArgumentException ex) // Python: except ValueError
        {
            caught = ex;
        }
        assertNotNull(caught, "catch by the task's exception type works");
        assertEquals("bad 3", caught.getMessage());
        assertTrue(hasFrame(caught, TaskExceptionTest.class.getName(),
            "applyThrowsTheTasksTypeFromTheCallSiteWithTheRemoteExceptionAsCause"),
            "the thrown exception's trace shows where the caller called apply: " + Arrays.toString(caught.getStackTrace()));
        assertFalse(hasFrame(caught, PoolWorker.class.getName(), "runTask"), "the caller's trace is not the worker's");

        final IllegalArgumentException remote = assertInstanceOf(IllegalArgumentException.class, caught.getCause());
        assertEquals("bad 3", remote.getMessage());
        assertTrue(hasFrame(remote, PoolWorker.class.getName(), "runTask"),
            "the cause is the exception as the worker raised it: " + Arrays.toString(remote.getStackTrace()));
    }

    @Test
    void mapAndImapRaiseTheTasksTypeToo()
    {
        final ArithmeticException fromMap =
            assertThrows(ArithmeticException.class, () -> pool.map((Integer x) -> 1 / x, List.of(1, 0)));
        assertInstanceOf(ArithmeticException.class, fromMap.getCause());
        final IMapIterator<Integer> it = pool.imap((Integer x) -> 1 / x, List.of(0));
        final ArithmeticException fromImap = assertThrows(ArithmeticException.class, it::next);
        assertInstanceOf(ArithmeticException.class, fromImap.getCause());
    }

    @Test
    void getThrowsExecutionExceptionWhoseCauseIsTheUsersOwnExceptionWithItsFields() throws Exception
    {
        final AsyncResult<Object> result = pool.applyAsync(a ->
        {
            throw new Overdrawn("balance too low", -42);
        });
        final ExecutionException error = assertThrows(ExecutionException.class, result::get);
        final Overdrawn overdrawn = assertInstanceOf(Overdrawn.class, error.getCause());
        assertEquals("balance too low", overdrawn.getMessage());
        assertEquals(-42, overdrawn.balance);
        assertTrue(hasFrame(overdrawn, PoolWorker.class.getName(), "runTask"), "the remote stack trace");
        assertFalse(result.successful());

        // a checked exception cannot be thrown unchecked as itself: apply throws a RemoteException around it
        final RemoteException wrapped = assertThrows(RemoteException.class, result::join);
        assertSame(overdrawn, wrapped.getCause());
        assertEquals(Overdrawn.class.getName(), wrapped.remoteClassName());

        final CompletableFuture<Object> future = result.toCompletableFuture();
        final ExecutionException viaFuture = assertThrows(ExecutionException.class, future::get);
        assertInstanceOf(Overdrawn.class, viaFuture.getCause());
    }

    @Test
    void anErrorCallbackGetsTheTasksOwnException() throws Exception
    {
        final CompletableFuture<RuntimeException> seen = new CompletableFuture<>();
        final AsyncResult<Object> result = pool.applyAsync(a ->
        {
            throw new UnsupportedOperationException("not here");
        }, new Object[0], null, seen::complete);
        final RuntimeException error = seen.get(30, TimeUnit.SECONDS);
        assertInstanceOf(UnsupportedOperationException.class, error);
        assertTrue(hasFrame(error, PoolWorker.class.getName(), "runTask"));
        assertSame(error, assertThrows(ExecutionException.class, result::get).getCause());
    }

    @Test
    void anExceptionThatCannotBeSerializedArrivesAsRemoteExceptionText()
    {
        final AsyncResult<Object> result = pool.applyAsync(a ->
        {
            throw new HoldsALock("locked out");
        });
        final ExecutionException error = assertThrows(ExecutionException.class, result::get);
        final RemoteException standIn = assertInstanceOf(RemoteException.class, error.getCause());
        assertEquals(HoldsALock.class.getName(), standIn.remoteClassName());
        assertEquals("locked out", standIn.remoteMessage());
        assertTrue(standIn.remoteTrace().contains("locked out"), standIn.remoteTrace());
        assertTrue(standIn.getMessage().contains("could not be serialized"), standIn.getMessage());
        assertTrue(hasFrame(standIn, PoolWorker.class.getName(), "runTask"), "its stack trace is the worker's");

        final RemoteException thrown = assertThrows(RemoteException.class, () -> pool.apply(a ->
        {
            throw new HoldsALock("locked out");
        }));
        assertEquals(HoldsALock.class.getName(), thrown.remoteClassName());
        assertInstanceOf(RemoteException.class, thrown.getCause(), "the stand-in, with the worker's trace");
        assertFalse(hasFrame(thrown, PoolWorker.class.getName(), "runTask"), "the thrown one has the caller's trace");
    }

    @Test
    void anExceptionWhoseClassCannotBeLoadedHereArrivesAsRemoteExceptionText(@TempDir final Path dir)
        throws Exception
    {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "needs a JDK's compiler to make a class the caller does not have");
        final Path source = dir.resolve("elsewhere/GoneException.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package elsewhere; public class GoneException extends RuntimeException { " +
            "public GoneException(String m) { super(m); } }");
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        assertEquals(0, javac.run(null, null, errors, "-d", dir.toString(), source.toString()), errors.toString());
        final String classes = dir.toUri().toString();

        final AsyncResult<Object> result = pool.applyAsync(a ->
        {
            try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[]{new java.net.URI((String)a[0]).toURL()}, PoolWorker.class.getClassLoader()))
            {
                throw (RuntimeException)loader.loadClass("elsewhere.GoneException").getConstructor(String.class)
                    .newInstance("made where only the worker can load it");
            }
        }, classes);
        final ExecutionException error = assertThrows(ExecutionException.class, result::get);
        final RemoteException standIn = assertInstanceOf(RemoteException.class, error.getCause());
        assertEquals("elsewhere.GoneException", standIn.remoteClassName());
        assertEquals("made where only the worker can load it", standIn.remoteMessage());
        assertTrue(standIn.remoteTrace().startsWith("elsewhere.GoneException: made where only the worker"),
            standIn.remoteTrace());
        assertTrue(standIn.getMessage().contains("class path"), "it says why: " + standIn.getMessage());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("elsewhere.GoneException"));
    }

    @Test
    void aCheckedExceptionFromAnExecutorTaskIsTheCauseAsItself()
    {
        final PoolExecutor executor = new PoolExecutor(pool);
        final java.util.concurrent.Future<Object> failing = executor.submit(() ->
        {
            throw new IOException("disk gone");
        });
        final ExecutionException error = assertThrows(ExecutionException.class, failing::get);
        final IOException cause = assertInstanceOf(IOException.class, error.getCause());
        assertEquals("disk gone", cause.getMessage());
        assertTrue(hasFrame(cause, PoolWorker.class.getName(), "runTask"));
    }
}
