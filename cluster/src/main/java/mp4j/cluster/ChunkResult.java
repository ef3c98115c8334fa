package mp4j.cluster;

import java.io.Serializable;
import java.util.List;

/** What a {@link ChunkJob} sends back: the results in order, or the failure of its first failing item; and its node. */
final class ChunkResult implements Serializable
{
    private static final long serialVersionUID = 1L;

    String nodeId;
    String host;
    long pid;
    List<Object> values;
    RemoteFailure failure;
}
