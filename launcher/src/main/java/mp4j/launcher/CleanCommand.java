package mp4j.launcher;

import mp4j.session.StaleSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {
        "Removes stale session files: those whose creator is dead and whose processes are all gone.",
        "The launcher does the same quietly at every start."})
final class CleanCommand implements Callable<Integer>
{
    @Option(names = "--all", description = "Also remove files named like sessions that are not usable " +
        "(foreign, corrupt, truncated, wrong version).")
    boolean all;

    @Option(names = "--dry-run", description = "List what would be removed; remove nothing.")
    boolean dryRun;

    @Override
    public Integer call()
    {
        int count = 0;
        if (dryRun)
        {
            for (final var file : mp4j.session.SessionFiles.list())
            {
                final String reason = StaleSessions.staleReason(file, all);
                if (reason != null)
                {
                    System.out.println("would remove " + file + ": " + reason);
                    count++;
                }
            }
        }
        else
        {
            for (final StaleSessions.Removed removed : StaleSessions.clean(all))
            {
                System.out.println("removed " + removed.file() + ": " + removed.reason());
                count++;
            }
        }
        if (count == 0)
        {
            System.out.println("no stale sessions in " + mp4j.session.SessionFiles.directory());
        }
        return 0;
    }
}
