package mp4j.cluster;

/** A user's program joining a cluster, started by ClusterStartTest without Ignite's JVM flags: it must fail clearly. */
public final class ConnectMain
{
    private ConnectMain()
    {
    }

    public static void main(final String[] args)
    {
        try (ClusterContext ctx = ClusterContext.connect(args[0]))
        {
            System.out.println("connected to " + ctx.servers() + " server nodes");
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("error: " + ex.getMessage());
            System.exit(1);
        }
    }
}
