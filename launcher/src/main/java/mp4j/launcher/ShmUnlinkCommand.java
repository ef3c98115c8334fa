package mp4j.launcher;

import mp4j.session.FileUsers;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryException;
import mp4j.sharedmemory.SharedMemoryNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code launcher shm unlink NAME}: removes a block, as {@code SharedMemory.unlink()}. */
@Command(name = "unlink", mixinStandardHelpOptions = true,
    description = {"Removes block NAME, as SharedMemory.unlink(): processes that map it keep their mapping",
        "until they close it. mp4j session files are removed by 'launcher clean', not here."})
final class ShmUnlinkCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Block name in /dev/shm.")
    String name;

    @Override
    public Integer call()
    {
        ShmCommand.checkedName(spec, name);
        final Path file = SharedMemoryNames.path(name);
        final List<Long> users = FileUsers.scan(SharedMemoryNames.directory()).pids(file);
        try
        {
            SharedMemory.unlink(name);
        }
        catch (final SharedMemoryException ex)
        {
            throw new UserException(ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println("unlinked " + file);
        if (!users.isEmpty())
        {
            out.println("still mapped or open in " + FileUsers.describe(users) + ": they keep the memory until " +
                "they close it");
        }
        return 0;
    }
}
