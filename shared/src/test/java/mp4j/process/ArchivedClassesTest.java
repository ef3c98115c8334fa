package mp4j.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ArchivedClassesTest
{
    @Test
    void theLibraryTheWorkerAndTheAgronaPackagesTheyUseButNotTheLauncher()
    {
        assertTrue(ArchivedClasses.isWanted("mp4j/pool/PoolWorker.class"));
        assertTrue(ArchivedClasses.isWanted("mp4j/worker/WorkerMain.class"));
        assertTrue(ArchivedClasses.isWanted("mp4j/pool/Pool$1.class"));
        assertTrue(ArchivedClasses.isWanted("org/agrona/concurrent/UnsafeBuffer.class"));
        assertTrue(ArchivedClasses.isWanted("org/agrona/concurrent/ringbuffer/ManyToOneRingBuffer.class"));
        assertFalse(ArchivedClasses.isWanted("mp4j/launcher/Launcher.class"), "a worker never runs the launcher");
        assertFalse(ArchivedClasses.isWanted("org/agrona/generation/DoNotSub.class"), "a package mp4j does not use");
        assertFalse(ArchivedClasses.isWanted("picocli/CommandLine.class"));
        assertFalse(ArchivedClasses.isWanted("mp4j/pool/package-info.class"));
        assertFalse(ArchivedClasses.isWanted("mp4j/pool/"));
        assertFalse(ArchivedClasses.isWanted("META-INF/MANIFEST.MF"));
    }
}
