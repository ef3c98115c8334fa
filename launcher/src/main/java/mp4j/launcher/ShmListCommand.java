package mp4j.launcher;

import mp4j.session.FileUsers;
import mp4j.sharedmemory.SharedMemoryBlocks;
import mp4j.sharedmemory.SharedMemoryNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static mp4j.launcher.ShmCommand.text;
import static mp4j.launcher.ShmCommand.usersText;

/** {@code launcher shm list}: every block of /dev/shm, its owner, what it holds, who records and maps it. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Lists the blocks in /dev/shm (not mp4j session files): size, owner, mode, what they hold,",
        "the mp4j session that records them, and which live processes map them (from /proc/*/maps)."})
final class ShmListCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array of blocks.")
    boolean json;

    @Override
    public Integer call() throws IOException
    {
        final FileUsers users = FileUsers.scan(SharedMemoryNames.directory());
        final Map<String, String> recorded = SharedMemoryBlocks.recordedBlocks();
        final List<Map<String, Object>> blocks = new ArrayList<>();
        for (final Path file : SharedMemoryBlocks.files())
        {
            try
            {
                blocks.add(SharedMemoryBlocks.describe(file, users, recorded.get(file.getFileName().toString())));
            }
            catch (final NoSuchFileException ex)
            {
                // unlinked while we listed
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(Json.write(blocks));
            return 0;
        }
        if (blocks.isEmpty())
        {
            out.println("no shared memory blocks in " + SharedMemoryNames.directory());
            return 0;
        }
        out.printf("%-24s %12s %-10s %-10s %-22s %-28s %s%n", "NAME", "SIZE", "OWNER", "MODE", "HOLDS",
            "RECORDED BY", "USED BY (pid command)");
        for (final Map<String, Object> block : blocks)
        {
            out.printf("%-24s %12d %-10s %-10s %-22s %-28s %s%n", text(block.get("name")),
                (Long)block.get("size"), text(block.get("owner")), block.get("mode"), text(block.get("holds")),
                block.get("recordedBy") == null ? "-" : text(block.get("recordedBy")), usersText(block));
        }
        return 0;
    }
}
