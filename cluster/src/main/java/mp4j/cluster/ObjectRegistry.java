package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.configuration.CacheConfiguration;

import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;
import javax.cache.Cache;

/**
 * The list of mp4j objects on a cluster ({@code launcher cluster} shows it): a replicated cache
 * {@value #CACHE} from name to {@link ObjectRecord}. Ignite itself cannot list its data structures by name.
 */
final class ObjectRegistry
{
    static final String CACHE = "mp4j-objects";

    private ObjectRegistry()
    {
    }

    static void record(final Ignite ignite, final String name, final String kind, final String detail)
    {
        cache(ignite).put(name, new ObjectRecord(kind, detail, CREATOR, System.currentTimeMillis()));
    }

    static void forget(final Ignite ignite, final String name)
    {
        cache(ignite).remove(name);
    }

    /** Name to record, sorted by name. */
    static Map<String, ObjectRecord> all(final Ignite ignite)
    {
        final Map<String, ObjectRecord> all = new TreeMap<>();
        for (final Cache.Entry<String, ObjectRecord> entry : cache(ignite))
        {
            all.put(entry.getKey(), entry.getValue());
        }
        return all;
    }

    private static IgniteCache<String, ObjectRecord> cache(final Ignite ignite)
    {
        return ignite.getOrCreateCache(new CacheConfiguration<String, ObjectRecord>(CACHE).setCacheMode(CacheMode.REPLICATED));
    }

    private static final String CREATOR = creator();

    private static String creator()
    {
        String host;
        try
        {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (final Exception ex)
        {
            host = "?";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }
}
