package mp4j.cluster;

import mp4j.context.Context;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** {@link TaskExceptionContract} on the local context: worker JVMs of this machine. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalTaskExceptionTest extends TaskExceptionContract
{
    @Override
    Context context()
    {
        return Context.local();
    }
}
