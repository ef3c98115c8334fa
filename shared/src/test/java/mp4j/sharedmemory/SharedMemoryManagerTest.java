package mp4j.sharedmemory;

import mp4j.session.DirectoryEntry;
import mp4j.session.TempSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The manager's list of blocks, in one process (workers that make blocks: SharedMemoryProcessTest). */
class SharedMemoryManagerTest
{
    @RegisterExtension
    final TempSession temp = new TempSession();
    private final Blocks blocks = new Blocks();

    @AfterEach
    void cleanUp() throws IOException
    {
        blocks.close();
    }

    /**
     * A worker killed between recording its block and making the file (issue 18: a chaos round's parent then
     * failed with "shared memory block 'psm_...' does not exist"): the record stays for the session's cleanup,
     * but the manager does not list a block that was never made, and every block it lists can be attached.
     */
    @Test
    void aBlockWhoseMakerDiedBeforeMakingItIsNotListed()
    {
        final SharedMemoryManager manager = new SharedMemoryManager(temp.session());
        final SharedMemory made = manager.sharedMemory(4096);
        blocks.track(made.name(), made);
        final DirectoryEntry madeRecord = temp.session().directory().find(made.name());
        final String neverMade = SharedMemoryNames.random();
        blocks.track(neverMade, neverMade);
        // what SharedMemoryManager.newBlock leaves when its process dies before SharedMemory.create makes the file
        SharedMemoryRecords.record(temp.session(), neverMade, (int)SharedMemoryRecords.owner(temp.session(),
            madeRecord), 4096, 0, 0);

        assertEquals(List.of(made.name()), manager.blocks());
        for (final String name : manager.blocks())
        {
            SharedMemory.attach(name).close();
        }
        made.close();
        manager.close();
        assertFalse(SharedMemory.exists(made.name()), "the manager's close unlinks what it made");
        assertEquals(List.of(), manager.blocks());
    }
}
