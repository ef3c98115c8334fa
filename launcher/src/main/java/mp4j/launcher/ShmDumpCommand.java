package mp4j.launcher;

import mp4j.session.FileUsers;
import mp4j.sharedmemory.SharedMemoryBlocks;
import mp4j.sharedmemory.SharedMemoryNames;
import org.agrona.PrintBufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static mp4j.launcher.ShmCommand.text;
import static mp4j.launcher.ShmCommand.usersText;

/** {@code launcher shm dump NAME}: one block's facts, its first bytes, and its items when it holds a ShareableList. */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = {"Shows block NAME: size, owner, users, its first bytes in hex, and its items when it holds",
        "a ShareableList. Reads the block; never maps it."})
final class ShmDumpCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Block name in /dev/shm.")
    String name;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--bytes", defaultValue = "256", paramLabel = "N",
        description = "Hex-dump at most N bytes (default ${DEFAULT-VALUE}; 0 for none).")
    int hexBytes;

    @Override
    public Integer call() throws IOException
    {
        ShmCommand.checkedName(spec, name);
        if (hexBytes < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bytes must be 0 or more");
        }
        final Path file = SharedMemoryNames.path(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new UserException("shared memory block '" + name + "' does not exist (no " + file +
                "); 'launcher shm list' shows the blocks there are");
        }
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new UserException(file + " is not a regular file, so not a shared memory block");
        }
        final Map<String, Object> block;
        final UnsafeBuffer bytes;
        try
        {
            block = SharedMemoryBlocks.describe(file, FileUsers.scan(SharedMemoryNames.directory()),
                SharedMemoryBlocks.recordedBlocks().get(name));
            bytes = SharedMemoryBlocks.read(file, Long.MAX_VALUE);
        }
        catch (final NoSuchFileException ex)
        {
            throw new UserException("shared memory block '" + name + "' was unlinked while being read");
        }
        catch (final AccessDeniedException ex)
        {
            throw ShmCommand.permissionDenied(name, file, "read");
        }
        final long size = (Long)block.get("size");
        final int shown = Math.min(hexBytes, bytes.capacity());
        final Map<String, Object> list = SharedMemoryBlocks.shareableList(bytes, size, name);
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            final StringBuilder hex = new StringBuilder();
            for (int i = 0; i < shown; i++)
            {
                hex.append(String.format("%02x", bytes.getByte(i) & 0xff));
            }
            block.put("hex", hex.toString());
            block.put("hexBytes", shown);
            block.putAll(list);
            out.println(Json.write(block));
            return 0;
        }
        out.println("block " + name + ": " + file + ", " + size + " bytes, owner " + text(block.get("owner")) +
            ", mode " + block.get("mode") + (block.get("recordedBy") != null ? ", recorded by " +
            text(block.get("recordedBy")) : "") + ", used by " + usersText(block));
        if (shown > 0)
        {
            out.println(PrintBufferUtil.prettyHexDump(bytes, 0, shown).stripTrailing());
            if (shown < size)
            {
                out.println("... " + (size - shown) + " more bytes (--bytes N shows more)");
            }
        }
        if (list.get("shareableList") instanceof Map<?, ?> sl)
        {
            final List<?> items = (List<?>)sl.get("items");
            out.println("ShareableList of " + items.size() + " items, format '" + text(sl.get("format")) + "':");
            for (final Object row : items)
            {
                final Map<?, ?> item = (Map<?, ?>)row;
                out.printf("  [%d] %-8s %-10s %s%n", (Integer)item.get("index"), text(item.get("type")),
                    text(item.get("format")), text(item.get("repr")));
            }
        }
        else
        {
            out.println("not a ShareableList: " + text(list.get("notShareableList")));
        }
        return 0;
    }
}
