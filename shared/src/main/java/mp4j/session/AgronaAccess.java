package mp4j.session;

/**
 * Agrona's buffers use {@code jdk.internal.misc.Unsafe}, which java.base exports only when asked. The launcher's
 * jar asks in its manifest and every worker's command line asks; a program of the user's own must ask too, and
 * this turns the JVM's IllegalAccessError deep inside Agrona into an error that says how.
 */
public final class AgronaAccess
{
    private static final String FIX = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    private AgronaAccess()
    {
    }

    /** Throws an IllegalStateException naming the fix when this JVM does not export jdk.internal.misc to us. */
    public static void check()
    {
        final Module javaBase = Object.class.getModule();
        if (!javaBase.isExported("jdk.internal.misc", AgronaAccess.class.getModule()))
        {
            throw new IllegalStateException("mp4j needs the JVM flag " + FIX + " (Agrona's off-heap buffers use " +
                "jdk.internal.misc.Unsafe): add it to your java command line, or 'Add-Exports: java.base/" +
                "jdk.internal.misc' to your executable jar's manifest; scripts/launcher and mp4j's workers set " +
                "it themselves");
        }
    }
}
