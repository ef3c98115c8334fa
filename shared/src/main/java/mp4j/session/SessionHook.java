package mp4j.session;

import java.nio.file.Path;
import java.util.List;

/**
 * What a floor above the session keeps beside a session, told to the session without the session calling upstairs:
 * the part of CPython's {@code resource_tracker} that knows, per kind of resource, how to remove what a dead
 * program left. A hook is named in {@code META-INF/services/mp4j.session.SessionHook} and found with
 * {@link java.util.ServiceLoader} ({@code SessionHooks}), so every process knows every kind: a sweep in
 * {@code launcher clean}, which never made a shared memory block, still removes those a killed program left.
 * <p>
 * Each method runs on the thread of the session code that calls it (which says when); a hook that throws is
 * reported on one line and the others still run. Removal follows the sweep's rules: only the current user's files,
 * never one a live process uses (see {@link StaleSessions}).
 */
public interface SessionHook
{
    /**
     * This process has just created {@code session}, which is now its current one ({@link Session#current()}).
     * Start threads or processes here; do not wait for them.
     */
    default void created(final Session session)
    {
    }

    /**
     * {@code session}, mapped and writable, is ending: its creator is exiting, or its last process is leaving it
     * after its creator died. Remove what it answers for outside its file (the file goes next).
     */
    default void ending(final Session session)
    {
    }

    /**
     * Of what the stale session in {@code sessionFile} answers for, what a live process still uses, one line each
     * ("psm_a (in use by pid 1 (python3))"): while there is any, the session file stays as the record of what to
     * remove later.
     */
    default List<String> inUse(final Path sessionFile)
    {
        return List.of();
    }

    /**
     * Removes what the stale session in {@code sessionFile} answers for (its file goes next; it is not mapped by
     * anyone), and says what it removed or left, as " (unlinked shared memory blocks: a, b)"; "" for nothing.
     */
    default String removeLeftovers(final Path sessionFile)
    {
        return "";
    }
}
