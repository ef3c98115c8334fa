package mp4j.launcher.chaos;

/**
 * What a chaos round checked.
 *
 * @param checked    results or items checked.
 * @param lost       results that should be there and are not.
 * @param duplicated results delivered more than once.
 * @param wrong      results present but incorrect.
 * @param failedCleanly calls that failed with a clear error (allowed: a retry budget ran out, say).
 * @param detail     one line for a person.
 */
public record ChaosResult(long checked, long lost, long duplicated, long wrong, long failedCleanly, String detail)
{
    public boolean ok()
    {
        return lost == 0 && duplicated == 0 && wrong == 0;
    }
}
