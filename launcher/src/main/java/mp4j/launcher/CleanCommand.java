package mp4j.launcher;

import mp4j.session.FileOwner;
import mp4j.session.Printable;
import mp4j.session.SessionFiles;
import mp4j.session.StaleSessions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;

@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {
        "Removes stale session files (creator dead, all its processes gone) and the",
        "shared memory blocks they record. The launcher does the same quietly at start.",
        "Never removed: a file any live process still maps or holds open, and another",
        "user's file (root lists those; --other-users removes them)."})
final class CleanCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--all", description = "Also remove files named like sessions that are not usable " +
        "(foreign, corrupt, truncated, wrong version).")
    boolean all;

    @Option(names = "--dry-run", description = "List what would be removed; remove nothing.")
    boolean dryRun;

    @Option(names = "--other-users", description = "Also remove other users' stale session files (as root; " +
        "judged by the creator pid in their name, and only when no live process maps or holds them open). " +
        "Their shared memory blocks are left to them.")
    boolean otherUsers;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        int removed = 0;
        int kept = 0;
        for (final StaleSessions.Stale stale : StaleSessions.find(all, otherUsers || FileOwner.isRoot()))
        {
            final String file = Printable.escape(stale.file().toString()) +
                (stale.othersFile() ? " (owner " + Printable.escape(stale.owner()) + ")" : "");
            final String keptBecause = stale.keptBecause(otherUsers);
            if (keptBecause != null)
            {
                out.println("kept " + file + ": " + Printable.escape(stale.reason()) + ", but " + keptBecause);
                kept++;
            }
            else if (dryRun)
            {
                out.println("would remove " + file + ": " + Printable.escape(stale.reason()));
                removed++;
            }
            else
            {
                try
                {
                    final StaleSessions.Removed gone = StaleSessions.remove(stale);
                    out.println("removed " + file + ": " + Printable.escape(gone.reason()));
                    removed++;
                }
                catch (final NoSuchFileException ex)
                {
                    // another cleaner got there first
                }
                catch (final IOException ex)
                {
                    final String why = ex instanceof FileSystemException fs && fs.getReason() != null ?
                        fs.getReason() : String.valueOf(ex.getMessage());
                    spec.commandLine().getErr().println("error: cannot remove " + file + ": " + Printable.escape(why));
                    kept++;
                }
            }
        }
        if (removed == 0 && kept == 0)
        {
            out.println("no stale sessions in " + SessionFiles.directory());
        }
        return 0;
    }
}
