package mp4j.cluster;

import mp4j.context.Context;
import mp4j.pool.ProcessPool;
import mp4j.pool.RemoteCallable;
import mp4j.pool.RemoteException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One test body for every context: a task's exception reaches the caller as locally, whichever context ran it.
 * {@code map} and {@code apply} throw the task's type with the caller's stack trace and the task's exception (the
 * remote trace) as cause; a Future's {@code get} throws an ExecutionException whose cause is the task's exception
 * itself, fields and all; an exception that cannot be rebuilt in the caller (not serializable, or its class not
 * loadable there) arrives as a {@link RemoteException} carrying its class name, message and remote trace.
 * {@link LocalTaskExceptionTest} runs it on {@link Context#local()}, {@link ClusterSemanticsTest} on a cluster.
 */
abstract class TaskExceptionContract
{
    /** The context under test; its pools and executors are closed by each test. */
    abstract Context context();

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

    /** The task: a named method, so that its frame tells the remote trace from the caller's. */
    static Object refuse(final Object[] args)
    {
        throw new IllegalArgumentException("bad " + args[0]);
    }

    static Integer invert(final Integer x)
    {
        return 1 / x;
    }

    static Object overdraw() throws Overdrawn
    {
        throw new Overdrawn("balance too low", -42);
    }

    static Object lockOut(final Object[] args)
    {
        throw new HoldsALock("locked out");
    }

    /** Raises an exception of a class that only the task's side loads, from the class folder {@code args[0]}. */
    static Object raiseFromElsewhere(final Object[] args) throws Exception
    {
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
            new java.net.URL[]{new java.net.URI((String)args[0]).toURL()}, ClassLoader.getSystemClassLoader()))
        {
            throw (RuntimeException)loader.loadClass("elsewhere.GoneException").getConstructor(String.class)
                .newInstance("made where only the task's side can load it");
        }
    }

    static boolean hasFrame(final Throwable error, final String method)
    {
        return Arrays.stream(error.getStackTrace()).anyMatch(frame ->
            frame.getClassName().equals(TaskExceptionContract.class.getName()) && frame.getMethodName().equals(method));
    }

    @Test
    void applyThrowsTheTasksTypeFromTheCallSiteWithTheRemoteExceptionAsCause()
    {
        try (ProcessPool pool = context().pool(1))
        {
            IllegalArgumentException caught = null;
            try
            {
                pool.apply(TaskExceptionContract::refuse, 3);
            }
            catch (final IllegalArgumentException ex) // Python: except ValueError
            {
                caught = ex;
            }
            assertNotNull(caught, "catch by the task's exception type works");
            assertEquals("bad 3", caught.getMessage());
            assertTrue(hasFrame(caught, "applyThrowsTheTasksTypeFromTheCallSiteWithTheRemoteExceptionAsCause"),
                "the thrown exception's trace shows where the caller called apply: " +
                    Arrays.toString(caught.getStackTrace()));
            assertFalse(hasFrame(caught, "refuse"), "the caller's trace is not the task's");

            final IllegalArgumentException remote = assertInstanceOf(IllegalArgumentException.class, caught.getCause());
            assertEquals("bad 3", remote.getMessage());
            assertTrue(hasFrame(remote, "refuse"),
                "the cause is the exception as the task raised it: " + Arrays.toString(remote.getStackTrace()));
            assertEquals(List.of(1, 2), pool.map((Integer x) -> x, List.of(1, 2)), "the pool works on after a failure");
        }
    }

    @Test
    void mapAndStarmapRaiseTheTasksTypeToo()
    {
        try (ProcessPool pool = context().pool(2))
        {
            final ArithmeticException fromMap = assertThrows(ArithmeticException.class,
                () -> pool.map(TaskExceptionContract::invert, List.of(1, 2, 0, 4), 1));
            assertEquals("/ by zero", fromMap.getMessage());
            final ArithmeticException remote = assertInstanceOf(ArithmeticException.class, fromMap.getCause());
            assertTrue(hasFrame(remote, "invert"), Arrays.toString(remote.getStackTrace()));
            assertFalse(hasFrame(fromMap, "invert"), "the thrown one has the caller's trace");

            final IllegalArgumentException fromStarmap = assertThrows(IllegalArgumentException.class,
                () -> pool.starmap(TaskExceptionContract::refuse, List.<Object[]>of(new Object[]{"x"})));
            assertEquals("bad x", fromStarmap.getMessage());
        }
    }

    @Test
    void getThrowsExecutionExceptionWhoseCauseIsTheUsersOwnExceptionWithItsFields() throws Exception
    {
        final ExecutorService executor = context().executor(1);
        try
        {
            final Future<Object> failing = executor.submit((RemoteCallable<Object>)TaskExceptionContract::overdraw);
            final ExecutionException error =
                assertThrows(ExecutionException.class, () -> failing.get(120, TimeUnit.SECONDS));
            final Overdrawn overdrawn = assertInstanceOf(Overdrawn.class, error.getCause());
            assertEquals("balance too low", overdrawn.getMessage());
            assertEquals(-42, overdrawn.balance);
            assertTrue(hasFrame(overdrawn, "overdraw"), "the remote stack trace: " +
                Arrays.toString(overdrawn.getStackTrace()));
        }
        finally
        {
            executor.shutdownNow();
        }
        // a checked exception cannot be thrown unchecked as itself: apply throws a RemoteException around it
        try (ProcessPool pool = context().pool(1))
        {
            final RemoteException wrapped =
                assertThrows(RemoteException.class, () -> pool.apply(a -> overdraw()));
            final Overdrawn overdrawn = assertInstanceOf(Overdrawn.class, wrapped.getCause());
            assertEquals(-42, overdrawn.balance);
            assertEquals(Overdrawn.class.getName(), wrapped.remoteClassName());
            assertTrue(wrapped.remoteTrace().contains("overdraw"), wrapped.remoteTrace());
        }
    }

    @Test
    void anExceptionThatCannotBeSerializedArrivesAsRemoteExceptionText() throws Exception
    {
        final ExecutorService executor = context().executor(1);
        try
        {
            final Future<Object> failing = executor.submit((RemoteCallable<Object>)() -> lockOut(null));
            final ExecutionException error =
                assertThrows(ExecutionException.class, () -> failing.get(120, TimeUnit.SECONDS));
            final RemoteException standIn = assertInstanceOf(RemoteException.class, error.getCause());
            assertEquals(HoldsALock.class.getName(), standIn.remoteClassName());
            assertEquals("locked out", standIn.remoteMessage());
            assertTrue(standIn.remoteTrace().contains("locked out"), standIn.remoteTrace());
            assertTrue(standIn.getMessage().contains("could not be serialized"), standIn.getMessage());
            assertTrue(hasFrame(standIn, "lockOut"), "its stack trace is the task's");
        }
        finally
        {
            executor.shutdownNow();
        }
        try (ProcessPool pool = context().pool(1))
        {
            final RemoteException thrown =
                assertThrows(RemoteException.class, () -> pool.apply(TaskExceptionContract::lockOut));
            assertEquals(HoldsALock.class.getName(), thrown.remoteClassName());
            assertInstanceOf(RemoteException.class, thrown.getCause(), "the stand-in, with the task's trace");
            assertFalse(hasFrame(thrown, "lockOut"), "the thrown one has the caller's trace");
        }
    }

    @Test
    void anExceptionWhoseClassCannotBeLoadedHereArrivesAsRemoteExceptionText(@TempDir final Path dir)
        throws IOException
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

        try (ProcessPool pool = context().pool(1))
        {
            final RemoteException thrown = assertThrows(RemoteException.class,
                () -> pool.apply(TaskExceptionContract::raiseFromElsewhere, classes));
            final RemoteException standIn = assertInstanceOf(RemoteException.class, thrown.getCause());
            assertEquals("elsewhere.GoneException", standIn.remoteClassName());
            assertEquals("made where only the task's side can load it", standIn.remoteMessage());
            assertTrue(standIn.remoteTrace().startsWith("elsewhere.GoneException: made where only the task's side"),
                standIn.remoteTrace());
            assertTrue(standIn.getMessage().contains("class path"), "it says why: " + standIn.getMessage());
            assertTrue(hasFrame(standIn, "raiseFromElsewhere"), Arrays.toString(standIn.getStackTrace()));
        }
        assertThrows(ClassNotFoundException.class, () -> Class.forName("elsewhere.GoneException"));
    }
}
