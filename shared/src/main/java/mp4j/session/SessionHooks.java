package mp4j.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The {@link SessionHook}s of this JVM, found once, on first use, in {@code META-INF/services/mp4j.session.SessionHook}
 * beside mp4j's classes, and the calls the session makes to all of them. What a hook throws reaches the caller, as
 * it did when the session called the code itself, except at the end of a session, where every hook gets its turn.
 */
final class SessionHooks
{
    private SessionHooks()
    {
    }

    private static final class Found
    {
        static final List<SessionHook> HOOKS = load();

        private static List<SessionHook> load()
        {
            final List<SessionHook> hooks = new ArrayList<>();
            try
            {
                for (final SessionHook hook : ServiceLoader.load(SessionHook.class, SessionHook.class.getClassLoader()))
                {
                    hooks.add(hook);
                }
            }
            catch (final ServiceConfigurationError ex)
            {
                System.err.println("mp4j: session hooks cannot be loaded (" + ex.getMessage() + "); what they " +
                    "clean up stays for 'launcher clean'");
            }
            return List.copyOf(hooks);
        }
    }

    static List<SessionHook> all()
    {
        return Found.HOOKS;
    }

    static void created(final Session session)
    {
        for (final SessionHook hook : all())
        {
            hook.created(session);
        }
    }

    /** Every hook's {@link SessionHook#ending}, whatever the others did: a fault says nothing new, else one line. */
    static void ending(final Session session)
    {
        for (final SessionHook hook : all())
        {
            try
            {
                hook.ending(session);
            }
            catch (final RuntimeException | Error ex)
            {
                if (!Session.isFault(ex))
                {
                    System.err.println("mp4j: exit step of " + hook.getClass().getName() + " failed: " + ex);
                }
            }
        }
    }

    static List<String> inUse(final Path sessionFile)
    {
        final List<String> inUse = new ArrayList<>();
        for (final SessionHook hook : all())
        {
            inUse.addAll(hook.inUse(sessionFile));
        }
        return inUse;
    }

    static String removeLeftovers(final Path sessionFile)
    {
        final StringBuilder said = new StringBuilder();
        for (final SessionHook hook : all())
        {
            said.append(hook.removeLeftovers(sessionFile));
        }
        return said.toString();
    }
}
