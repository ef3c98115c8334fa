package mp4j.cluster;

import java.io.Serializable;

/** What the registry knows of one mp4j object on the cluster: its kind, a detail, who made it and when. */
final class ObjectRecord implements Serializable
{
    private static final long serialVersionUID = 1L;

    String kind;
    String detail;
    String creator;
    long createdMillis;

    ObjectRecord(final String kind, final String detail, final String creator, final long createdMillis)
    {
        this.kind = kind;
        this.detail = detail;
        this.creator = creator;
        this.createdMillis = createdMillis;
    }
}
