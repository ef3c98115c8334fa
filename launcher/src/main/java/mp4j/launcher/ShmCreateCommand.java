package mp4j.launcher;

import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code launcher shm create NAME SIZE}: a new block of zeros, as {@code SharedMemory(NAME, True, SIZE)}. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Creates block NAME of SIZE bytes (zeros, mode 0600). It stays until 'shm unlink NAME';",
        "Python attaches with SharedMemory(name=\"NAME\")."})
final class ShmCreateCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Block name: a file name in /dev/shm.")
    String name;

    @Parameters(index = "1", paramLabel = "SIZE",
        description = "Bytes, optionally with a binary suffix: 4096, 64K, 16M, 1G (K = 1024).")
    String size;

    @Override
    public Integer call()
    {
        ShmCommand.checkedName(spec, name);
        final long bytes = ShmCommand.parseSize(spec, size);
        try (SharedMemory shm = SharedMemory.create(name, bytes))
        {
            spec.commandLine().getOut().println("created " + shm.path() + " (" + shm.size() +
                " bytes, mode 0600); remove it with 'launcher shm unlink " + name + "'");
        }
        catch (final SharedMemoryException ex)
        {
            throw new UserException(ex.getMessage());
        }
        return 0;
    }
}
