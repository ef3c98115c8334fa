package mp4j.codec;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one rule for what a process of a session deserializes from another. Every path that carries Java-serialized
 * bytes between processes decodes under it: a process's target and arguments, a pool's functions, arguments and
 * results, queue and pipe values (and a manager's objects, when there is one). A value of the compact
 * {@link ValueCodec} forms (numbers, strings, arrays of primitives, lists, {@code Object[]}) has no class to judge.
 *
 * <h2>Which classes</h2>
 * Every process of a session runs the same program, as the same user, reading files only that user can write
 * (0600). So the program's own classes are trusted, and only what it did not write needs an explicit allow:
 * <ol>
 *   <li><b>Refused first</b>: a pattern with {@code !} in {@code mp4j.serial.allow} ({@code !org.acme.legacy.*}).</li>
 *   <li><b>The program's own classes</b>: those the application class loader defines, that is, loaded from the
 *       class path the program (and so every worker, which runs with its parent's class path) was started with,
 *       mp4j included. The lambdas they define count as theirs. So do the libraries on that class path: a
 *       program that carries one with known deserialization gadgets (an old commons-collections, say) refuses
 *       it with {@code !org.apache.commons.collections.functors.*}.</li>
 *   <li><b>The JDK's value types</b>: {@link #JDK_SAFE} ({@code java.lang}, {@code java.util} and its concurrent
 *       maps, sets and lists, {@code java.math}, {@code java.time}, {@code java.net.URI}, serialized lambdas),
 *       and every {@code Throwable} of a {@code java.*} package, so that exceptions travel.</li>
 *   <li><b>What the program allows</b>: patterns in {@code -Dmp4j.serial.allow=com.example.**;org.acme.Point},
 *       or {@link #allow(String)} in code before the workers start (they inherit it), or for one pool
 *       {@code PoolConfig.allow}.</li>
 *   <li>Everything else is refused: other JDK classes ({@code java.io.File},
 *       {@code java.util.concurrent.atomic.AtomicInteger}, {@code javax.*}, {@code sun.*}), and classes from
 *       another class loader (a plugin's, say).</li>
 * </ol>
 * Patterns are the JDK's ({@link ObjectInputFilter.Config#createFilter}): {@code a.b.C} one class,
 * {@code a.b.*} a package, {@code a.b.**} a package and its subpackages, {@code a.b.C*} a prefix, {@code !} in
 * front to refuse; separated by {@code ;}.
 *
 * <h2>How much work</h2>
 * A decode may do bounded work only, whatever its classes, so that a crafted value (the "SerialDOS" nest of
 * {@code HashSet}s, whose rebuilding hashes exponentially many times) fails fast instead of hanging a worker.
 * The limits, set with the same property ({@code -Dmp4j.serial.allow=maxdepth=200}):
 * <pre>
 *   maxdepth=100        objects nested within one another
 *   maxrefs=1000000     objects and back-references in one value
 *   maxarray=100000000  elements of one array; an array may also claim no more elements than its
 *                       remaining bytes could hold (a 20-byte value cannot ask for a gigabyte)
 *   maxbytes=1073741824 bytes of one serialized value
 *   maxsteps=20000000   work: one step per object read, plus, for every collection, map or map entry
 *                       rebuilt, the number of hashCode calls it would take to hash it (which is what a
 *                       HashSet of HashSets costs as it is read)
 * </pre>
 *
 * <h2>What a refusal does</h2>
 * The receiver gets a {@link CodecException} naming the class (or the limit) and the fix; the value is never
 * dropped silently: a queue or pipe hands it over in the exception ({@link CodecException#encoded()}), a pool
 * task fails with the error, a process reports it and exits 1.
 */
public final class SerialFilter implements ObjectInputFilter
{
    /** The JDK classes any session may exchange: values, collections, and serialized lambdas. */
    public static final String JDK_SAFE = "java.lang.*;java.lang.invoke.SerializedLambda;java.util.*;" +
        "java.util.concurrent.ConcurrentHashMap*;java.util.concurrent.ConcurrentSkipList*;" +
        "java.util.concurrent.CopyOnWrite*;java.util.concurrent.TimeUnit;java.math.*;java.time.**;java.net.URI";

    /** The limits unless told otherwise. */
    public static final String DEFAULT_LIMITS =
        "maxdepth=100;maxrefs=1000000;maxarray=100000000;maxbytes=1073741824;maxsteps=20000000";

    /** The system property every process reads; workers inherit it from their parent. */
    public static final String PROPERTY = "mp4j.serial.allow";

    private static volatile SerialFilter standard;
    private static volatile String standardFrom;

    private final String patterns;
    private final List<Pattern> refused = new ArrayList<>();
    private final List<Pattern> allowed = new ArrayList<>();
    final long maxDepth;
    final long maxRefs;
    final long maxArray;
    final long maxBytes;
    final long maxSteps;

    private SerialFilter(final String patterns)
    {
        this.patterns = patterns;
        long depth = 0;
        long refs = 0;
        long array = 0;
        long bytes = 0;
        long steps = 0;
        for (final String part : (DEFAULT_LIMITS + ";" + JDK_SAFE + ";mp4j.**;" + patterns).split(";"))
        {
            final String p = part.trim();
            if (p.isEmpty())
            {
                continue;
            }
            final int eq = p.indexOf('=');
            if (eq > 0)
            {
                final long limit = limit(p, eq);
                switch (p.substring(0, eq))
                {
                    case "maxdepth" -> depth = limit;
                    case "maxrefs" -> refs = limit;
                    case "maxarray" -> array = limit;
                    case "maxbytes" -> bytes = limit;
                    case "maxsteps" -> steps = limit;
                    default -> throw new IllegalArgumentException("unknown limit '" + p + "' in the serial " +
                        "filter patterns; known: maxdepth, maxrefs, maxarray, maxbytes, maxsteps");
                }
                continue;
            }
            if (p.indexOf('/') >= 0)
            {
                throw new IllegalArgumentException("module patterns such as '" + p + "' are not supported in " +
                    PROPERTY + "; name the class or package");
            }
            if (p.startsWith("!"))
            {
                refused.add(new Pattern(p.substring(1)));
            }
            else
            {
                allowed.add(new Pattern(p));
            }
        }
        this.maxDepth = depth;
        this.maxRefs = refs;
        this.maxArray = array;
        this.maxBytes = bytes;
        this.maxSteps = steps;
    }

    private static long limit(final String pattern, final int eq)
    {
        try
        {
            final long value = Long.parseLong(pattern.substring(eq + 1).trim());
            if (value < 0)
            {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + pattern + "' in the serial filter patterns needs a number " +
                "of zero or more", ex);
        }
    }

    /** The rule with {@code -Dmp4j.serial.allow} as it is now; what every codec uses unless told otherwise. */
    public static SerialFilter standard()
    {
        final String property = Objects.requireNonNullElse(System.getProperty(PROPERTY), "");
        SerialFilter filter = standard;
        if (filter == null || !property.equals(standardFrom))
        {
            filter = new SerialFilter(property);
            standard = filter;
            standardFrom = property;
        }
        return filter;
    }

    /** The rule plus {@code extraPatterns} (a pool's {@code PoolConfig.allow}, say). */
    public static SerialFilter of(final String... extraPatterns)
    {
        final StringBuilder patterns = new StringBuilder(Objects.requireNonNullElse(System.getProperty(PROPERTY), ""));
        for (final String extra : extraPatterns)
        {
            if (extra != null && !extra.isBlank())
            {
                patterns.append(';').append(extra.trim());
            }
        }
        return new SerialFilter(patterns.toString());
    }

    /**
     * Allows more classes (or sets limits) in this process, and in every worker started after this call, which
     * inherit {@code mp4j.serial.allow}. Workers already running keep what they had.
     *
     * @param patterns as in {@code -Dmp4j.serial.allow}: {@code com.example.**;org.acme.Point;maxdepth=200}.
     */
    public static synchronized void allow(final String patterns)
    {
        new SerialFilter(patterns); // refuses a bad pattern before it is stored
        final String now = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, now == null || now.isBlank() ? patterns.trim() : now + ";" + patterns.trim());
    }

    /**
     * Why {@code type} may not be deserialized under this rule, or null when it may.
     */
    public String refusal(final Class<?> type)
    {
        Class<?> c = type;
        while (c.isArray())
        {
            c = c.getComponentType();
        }
        if (c.isPrimitive())
        {
            return null;
        }
        final String name = c.getName();
        for (final Pattern p : refused)
        {
            if (p.matches(name))
            {
                return "class " + name + " is refused by '!" + p + "' in " + PROPERTY;
            }
        }
        if (isTheProgramsOwn(c))
        {
            return null;
        }
        for (final Pattern p : allowed)
        {
            if (p.matches(name))
            {
                return null;
            }
        }
        if (name.startsWith("java.") && Throwable.class.isAssignableFrom(c))
        {
            return null;
        }
        final boolean jdk = c.getClassLoader() == null || c.getClassLoader() == ClassLoader.getPlatformClassLoader();
        return "class " + name + (jdk ? " is a JDK class outside the safe set" :
            " was not loaded from this program's class path") +
            " and is not allowed. Allow it in the processes that receive it: -D" + PROPERTY + "=" + name +
            " (workers inherit it), or SerialFilter.allow(\"" + name + "\") before starting them";
    }

    /** Defined by the application class loader: on the class path the program (and its workers) started with. */
    private static boolean isTheProgramsOwn(final Class<?> c)
    {
        final ClassLoader loader = c.getClassLoader();
        return loader != null && loader == ClassLoader.getSystemClassLoader();
    }

    /**
     * The rule as a plain {@link ObjectInputFilter}: classes and the fixed limits. {@link ValueCodec} adds what
     * needs the whole value (array lengths against the bytes left, the step budget) and says why it refused.
     */
    @Override
    public Status checkInput(final FilterInfo info)
    {
        if (info.depth() > maxDepth || info.references() > maxRefs || info.streamBytes() > maxBytes ||
            info.arrayLength() > maxArray)
        {
            return Status.REJECTED;
        }
        final Class<?> type = info.serialClass();
        if (type == null)
        {
            return Status.UNDECIDED;
        }
        return refusal(type) == null ? Status.ALLOWED : Status.REJECTED;
    }

    @Override
    public String toString()
    {
        return "the program's own classes;" + JDK_SAFE + (patterns.isBlank() ? "" : ";" + patterns) + ";" +
            DEFAULT_LIMITS;
    }

    /** One JDK-style class pattern: a class, {@code pkg.*}, {@code pkg.**} or {@code prefix*}. */
    private static final class Pattern
    {
        private final String text;
        private final String stem;
        private final int kind; // 0 exact, 1 package, 2 package and subpackages, 3 prefix

        Pattern(final String text)
        {
            this.text = text;
            if (text.endsWith(".**"))
            {
                kind = 2;
                stem = text.substring(0, text.length() - 2);
            }
            else if (text.endsWith(".*"))
            {
                kind = 1;
                stem = text.substring(0, text.length() - 1);
            }
            else if (text.endsWith("*"))
            {
                kind = 3;
                stem = text.substring(0, text.length() - 1);
            }
            else
            {
                kind = 0;
                stem = text;
            }
        }

        boolean matches(final String name)
        {
            return switch (kind)
            {
                case 0 -> name.equals(stem);
                case 1 -> name.startsWith(stem) && name.indexOf('.', stem.length()) < 0;
                case 2 -> name.startsWith(stem);
                default -> name.startsWith(stem);
            };
        }

        @Override
        public String toString()
        {
            return text;
        }
    }
}
