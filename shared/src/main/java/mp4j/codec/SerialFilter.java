package mp4j.codec;

import java.io.ObjectInputFilter;

/**
 * Which classes may be deserialized from another process: JDK value types, lambdas, mp4j's own, and what the
 * user allows with {@code -Dmp4j.serial.allow=com.example.**;org.acme.Type} (or in code). Everything else is
 * refused, so a crafted payload cannot instantiate arbitrary gadget classes from the class path.
 */
public final class SerialFilter
{
    /** Always allowed: values of the JDK, serialized lambdas, and mp4j's own classes. */
    public static final String BASE = "java.lang.*;java.lang.invoke.SerializedLambda;java.util.*;java.math.*;" +
        "java.time.*;java.net.URI;mp4j.**;maxdepth=100;maxrefs=1000000;maxarray=100000000";

    private SerialFilter()
    {
    }

    /** {@link #BASE}, plus {@code -Dmp4j.serial.allow}, plus the given patterns; everything else rejected. */
    public static ObjectInputFilter of(final String... extraPatterns)
    {
        final StringBuilder patterns = new StringBuilder(BASE);
        final String allow = System.getProperty("mp4j.serial.allow");
        if (allow != null && !allow.isBlank())
        {
            patterns.append(';').append(allow.trim());
        }
        for (final String extra : extraPatterns)
        {
            if (extra != null && !extra.isBlank())
            {
                patterns.append(';').append(extra.trim());
            }
        }
        patterns.append(";!*");
        return new Lazy(patterns.toString());
    }

    /**
     * Builds the JDK's filter on first use. {@code ObjectInputFilter.Config} is costly to start in a fresh JVM
     * (a logger lookup, the security properties, a lambda spun per pattern: ~30 ms of a worker's boot on this
     * machine), and most values never need it: they travel in ValueCodec's compact form.
     */
    private static final class Lazy implements ObjectInputFilter
    {
        private final String patterns;
        private volatile ObjectInputFilter filter;

        Lazy(final String patterns)
        {
            this.patterns = patterns;
        }

        @Override
        public Status checkInput(final FilterInfo info)
        {
            ObjectInputFilter built = filter;
            if (built == null)
            {
                built = ObjectInputFilter.Config.createFilter(patterns);
                filter = built;
            }
            return built.checkInput(info);
        }

        @Override
        public String toString()
        {
            return patterns;
        }
    }

    public static ObjectInputFilter standard()
    {
        return of();
    }
}
