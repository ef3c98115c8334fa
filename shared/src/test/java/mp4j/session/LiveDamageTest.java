package mp4j.session;

import mp4j.util.ProcessIdentity;
import mp4j.sharedmemory.SharedMemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.RandomAccessFile;
import java.util.Random;

import static mp4j.session.SessionLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A session file damaged while it is open (bytes overwritten, the file truncated), as another program or a careless
 * user can: nothing mp4j reads from it may send a process outside its mapping, and the damage is told, not faulted.
 */
class LiveDamageTest
{
    @RegisterExtension
    final TempSession temp = new TempSession();

    @Test
    void aHeaderOverwrittenWhileOpenSendsNobodyOutOfBounds()
    {
        final Session session = temp.session();
        final long dataOffset = session.dataOffset();
        final long dataLength = session.dataLength();
        final byte[] noise = new byte[HEADER_LENGTH - 8];
        new Random(3).nextBytes(noise);
        session.buffer().putBytes(8, noise);
        // and the fields that steer readers, with the worst values
        session.buffer().putInt(PROCESS_SLOT_COUNT_OFFSET, -5);
        session.buffer().putInt(DIRECTORY_CAPACITY_OFFSET, Integer.MAX_VALUE);
        session.buffer().putLong(DIRECTORY_OFFSET_OFFSET, Long.MAX_VALUE - 7);
        session.buffer().putLong(DATA_ALLOCATED_OFFSET, -64);
        session.buffer().putInt(DIRECTORY_USED_OFFSET, -3);
        session.buffer().putLong(CREATOR_PID_OFFSET, 1);

        assertEquals(8, session.processTable().slotCount());
        assertEquals(64, session.directory().capacity());
        assertEquals(dataOffset, session.dataOffset());
        assertEquals(dataLength, session.dataLength());
        assertEquals(ProcessIdentity.current(), session.creator(), "a live creator does not look dead");
        assertTrue(session.directory().entries().isEmpty());
        assertTrue(session.processTable().othersKeepSession(1)); // what a worker's exit asks: the creator does
        assertEquals(1, session.processTable().liveCount());
        SharedMemoryRecords.unlinkLeftovers(session); // what the exit hook does
        final SessionFileException corrupt = assertThrows(SessionFileException.class, () -> session.allocate(64));
        assertTrue(corrupt.getMessage().contains("is corrupt: its data area's allocation mark reads -64"),
            corrupt.getMessage());
        session.buffer().putLong(DATA_ALLOCATED_OFFSET, 0);
        final SessionFileException directory = assertThrows(SessionFileException.class,
            () -> session.directory().allocate(ObjectKind.VALUE, "v", 'i', 8, 1, 0));
        assertTrue(directory.getMessage().contains("its directory's count of entries reads -3"),
            directory.getMessage());
        assertFalse(session.isDamaged(), "overwritten, not truncated");
    }

    @Test
    void aFileTruncatedWhileOpenIsToldNotFaulted() throws Exception
    {
        final Session session = temp.session();
        assertNull(session.damage());
        try (RandomAccessFile file = new RandomAccessFile(session.file().toFile(), "rw"))
        {
            file.setLength(8192);
        }
        assertTrue(session.isDamaged());
        assertEquals("session file " + session.file() + " was truncated to 8192 bytes while in use (it had " +
            session.fileLength() + "); something outside mp4j cut it, and the processes using it cannot go on",
            session.damage());
        assertTrue(Session.wasTruncated(session.file()));
        // what HotSpot throws for a touch past the new end (perhaps later, "in a recent ... operation")
        final InternalError fault = new InternalError("a fault occurred in an unsafe memory access operation");
        assertTrue(Session.isFault(new IllegalStateException("wrapped", fault)));
        assertFalse(Session.isFault(new InternalError("something else")));
        assertEquals(session.damage(), session.faultError(fault).getMessage());
        // a truncation stays told, even once the file has its length again: what was cut is zeros now
        try (RandomAccessFile file = new RandomAccessFile(session.file().toFile(), "rw"))
        {
            file.setLength(session.fileLength());
        }
        assertTrue(session.isDamaged());
    }
}
