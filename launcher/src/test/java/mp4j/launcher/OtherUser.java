package mp4j.launcher;

import mp4j.process.WorkerCommand;
import mp4j.session.FileOwner;
import mp4j.sharedmemory.SharedMemoryNames;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second local user, {@value #NAME}, for the tests of what mp4j does to other users' files. When the tests run
 * as root it is made with {@code useradd --system} (and deleted after them if they made it); commands run as it
 * through {@code setpriv}. Without root the tests that need it are skipped, and say why.
 * {@code @RegisterExtension static final OtherUser OTHER = new OtherUser();}
 */
final class OtherUser implements BeforeAllCallback, AfterAllCallback
{
    static final String NAME = "mp4j-test-other";

    private boolean created;
    private String uid;
    private String gid;
    private Path classPath;
    private String classPathEntries;

    @Override
    public void beforeAll(final ExtensionContext context) throws Exception
    {
        assumeTrue(FileOwner.isRoot(), "skipped: these tests need root, to make a second user (" + NAME + ") " +
            "and act as it; run them as root to check that mp4j leaves other users' files alone");
        assumeTrue(run("setpriv", "--version") == 0, "skipped: util-linux's setpriv is not installed");
        if (run("id", "-u", NAME) != 0)
        {
            assumeTrue(run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME) == 0,
                "skipped: useradd could not make the test user " + NAME);
            created = true;
        }
        uid = output("id", "-u", NAME);
        gid = output("id", "-g", NAME);
    }

    @Override
    public void afterAll(final ExtensionContext context) throws Exception
    {
        if (classPath != null)
        {
            try (Stream<Path> files = Files.walk(classPath))
            {
                for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(file);
                }
            }
        }
        if (created)
        {
            run("userdel", NAME);
        }
    }

    /** Gives {@code file} to the other user, as if it had made it. */
    void chown(final Path file) throws IOException
    {
        Files.setOwner(file, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(NAME));
    }

    /** {@code command}, run as the other user (its uid and group only, no supplementary groups). */
    List<String> as(final List<String> command)
    {
        final List<String> as = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
            "--clear-groups", "--"));
        as.addAll(command);
        return as;
    }

    /**
     * The launcher's command line, for {@link #runAs}: a JVM on a copy of this class path that the other user can
     * read (root's Maven repository is not), sweeping an empty folder, not /dev/shm, and seeing the blocks where
     * this JVM sees them.
     */
    List<String> launcher(final String... args) throws IOException
    {
        final String readable = readableClassPath();
        final List<String> command = new ArrayList<>(List.of(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-XX:-UsePerfData", "-Dmp4j.dir=" + classPath, "-Dmp4j.shm.dir=" + SharedMemoryNames.directory(),
            "-cp", readable, Launcher.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private String readableClassPath() throws IOException
    {
        if (classPathEntries != null)
        {
            return classPathEntries;
        }
        classPath = Files.createTempDirectory("mp4j-other-cp");
        Files.setPosixFilePermissions(classPath, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path copy = classPath;
        final StringBuilder entries = new StringBuilder();
        int n = 0;
        for (final String entry : WorkerCommand.classPath().split(File.pathSeparator))
        {
            final Path from = Path.of(entry);
            final Path to = copy.resolve(n++ + "-" + from.getFileName());
            if (Files.isDirectory(from))
            {
                copyTree(from, to);
            }
            else if (Files.isRegularFile(from))
            {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
            }
            else
            {
                continue;
            }
            entries.append(entries.length() == 0 ? "" : File.pathSeparator).append(to);
        }
        classPathEntries = entries.toString();
        return classPathEntries;
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : files.toList())
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                else
                {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, java.util.Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ,
                        PosixFilePermission.OTHERS_READ));
                }
            }
        }
    }

    /** A command's exit code and output (stdout and stderr). */
    record Result(int exitCode, String output)
    {
    }

    /** Runs {@code command} as the other user to its end. */
    Result runAs(final List<String> command) throws IOException, InterruptedException
    {
        final java.lang.Process process = new ProcessBuilder(as(command)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(command + " as " + NAME + " did not end in 60 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static String output(final String... command) throws IOException, InterruptedException
    {
        final java.lang.Process process = new ProcessBuilder(command).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
