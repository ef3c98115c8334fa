package mp4j.cluster;

/** Stands for {@code null} in a cluster queue: Ignite's queues refuse null, Python's Queue takes None. */
enum NullItem
{
    NULL;

    static Object wrap(final Object value)
    {
        return value == null ? NULL : value;
    }

    static Object unwrap(final Object item)
    {
        return item == NULL ? null : item;
    }
}
