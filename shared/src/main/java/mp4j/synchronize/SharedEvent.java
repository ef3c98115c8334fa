package mp4j.synchronize;

import java.util.concurrent.TimeUnit;

/** Python's {@code Event}: a flag any process sets, clears and waits for. */
public interface SharedEvent
{
    boolean isSet();

    void set();

    void clear();

    /** Waits until set; returns true. */
    boolean await();

    /** Waits until set or the time is up; returns whether it is set. */
    boolean await(long timeout, TimeUnit unit);
}
