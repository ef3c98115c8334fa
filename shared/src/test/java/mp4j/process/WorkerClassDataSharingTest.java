package mp4j.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerClassDataSharingTest
{
    @TempDir
    Path folder;

    @Test
    void aRebuiltJarKeepsTheFirstPartOfTheNameAndChangesTheSecond() throws Exception
    {
        final Path jar = Files.write(folder.resolve("app.jar"), new byte[10]);
        final String before = WorkerClassDataSharing.name(jar.toString());
        Files.write(jar, new byte[20]);
        final String after = WorkerClassDataSharing.name(jar.toString());
        assertNotEquals(before, after);
        assertEquals(prefix(before), prefix(after));
        final Path other = Files.write(folder.resolve("other.jar"), new byte[20]);
        assertNotEquals(prefix(after), prefix(WorkerClassDataSharing.name(other.toString())));
    }

    @Test
    void makingAnArchiveRemovesThoseOfEarlierBuildsOnly() throws Exception
    {
        final Path jar = Files.write(folder.resolve("app.jar"), new byte[10]);
        final String earlier = WorkerClassDataSharing.name(jar.toString());
        Files.write(jar, new byte[20]);
        final String current = WorkerClassDataSharing.name(jar.toString());
        final Path cache = Files.createDirectories(folder.resolve("cds"));
        final Path earlierJsa = Files.createFile(cache.resolve(earlier + ".jsa"));
        final Path earlierAot = Files.createFile(cache.resolve(earlier + ".aot"));
        final Path currentJsa = Files.createFile(cache.resolve(current + ".jsa"));
        final Path currentLock = Files.createFile(cache.resolve(current + ".aot.lock"));
        final Path otherProject = Files.createFile(cache.resolve("worker-1234abcd-5678ef.aot"));
        final Path oldLegacy = Files.createFile(cache.resolve("worker-105f3a05e4dc9056.jsa"));
        Files.setLastModifiedTime(oldLegacy, FileTime.fromMillis(System.currentTimeMillis() -
            TimeUnit.DAYS.toMillis(2)));
        final Path newLegacy = Files.createFile(cache.resolve("worker-2130ef3d940462a3.jsa"));
        final Path deadMakersTmp = Files.createFile(cache.resolve(earlier + ".aot.1-2.tmp"));
        Files.setLastModifiedTime(deadMakersTmp, FileTime.fromMillis(System.currentTimeMillis() -
            TimeUnit.HOURS.toMillis(1)));

        WorkerClassDataSharing.prune(cache, jar.toString());

        assertFalse(Files.exists(earlierJsa), "an earlier build's AppCDS archive");
        assertFalse(Files.exists(earlierAot), "an earlier build's AOT cache");
        assertFalse(Files.exists(oldLegacy), "an archive named the old way, two days old");
        assertFalse(Files.exists(deadMakersTmp), "the leftover of a maker that died an hour ago");
        assertTrue(Files.exists(currentJsa), "this build's archive");
        assertTrue(Files.exists(currentLock), "the lock of this build's maker, at work");
        assertTrue(Files.exists(otherProject), "another class path's cache");
        assertTrue(Files.exists(newLegacy), "an archive named the old way, made today (an older build may use it)");
    }

    private static String prefix(final String name)
    {
        return name.substring(0, name.lastIndexOf('-'));
    }
}
