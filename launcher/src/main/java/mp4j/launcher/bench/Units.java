package mp4j.launcher.bench;

/** A figure's unit from its key's suffix, so that most figures need not name it. */
final class Units
{
    private Units()
    {
    }

    static String ofKey(final String key)
    {
        final String[][] suffixes = {
            {"_ops_s", "ops/s"}, {"_pairs_s", "pairs/s"}, {"_items_s", "items/s"}, {"_msgs_s", "msgs/s"},
            {"_calls_s", "calls/s"}, {"_GBps", "GB/s"}, {"_MB", "MB"}, {"_ms", "ms"}, {"_us", "us"}, {"_s", "s"},
        };
        for (final String[] suffix : suffixes)
        {
            if (key.endsWith(suffix[0]))
            {
                return suffix[1];
            }
        }
        return "";
    }
}
