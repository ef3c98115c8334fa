package mp4j.launcher.chaos;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Workers make blocks through one SharedMemoryManager and fill them with their own byte. Every block the manager
 * lists must hold a whole, correct pattern or none at all (a killed worker's half-filled block is allowed to be
 * partly written, not wrong); after the round nothing may be left in /dev/shm (the chaos script checks).
 */
public final class SharedMemoryWorkload implements ChaosWorkload
{
    private static final int BLOCK = 64 * 1024;

    @Override
    public String name()
    {
        return "shm";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int workers = 2 + random.nextInt(3);
        final int blocksEach = 2 + random.nextInt(4);
        long wrong = 0;
        long checked = 0;
        try (SharedMemoryManager manager = new SharedMemoryManager().start())
        {
            final List<Process> processes = new ArrayList<>();
            for (int i = 0; i < workers; i++)
            {
                final Process p = new Process(MakeBlocks.class, manager, blocksEach, (byte)(i + 1),
                    50L + random.nextInt(300)).daemon(true).start();
                processes.add(p);
                events.worker(p.pid(), "worker", true);
            }
            events.emit("ready");
            for (final Process p : processes)
            {
                if (!p.join(60_000))
                {
                    throw new IllegalStateException("worker " + p.pid() + " did not end within 60 s");
                }
            }
            final byte[] content = new byte[BLOCK];
            for (final String name : manager.blocks())
            {
                try (SharedMemory shm = SharedMemory.attach(name))
                {
                    shm.read(0, content);
                    final byte first = content[BLOCK - 1];
                    if (first == 0)
                    {
                        continue; // made, not filled yet when its worker was killed
                    }
                    checked++;
                    for (final byte b : content)
                    {
                        if (b != first && b != 0)
                        {
                            wrong++;
                            break;
                        }
                    }
                }
            }
        }
        return new ChaosResult(checked, 0, 0, wrong, 0, checked + " blocks checked");
    }

    /** Makes blocks through the manager; fills each from the end so a full block ends with its byte. */
    public static final class MakeBlocks implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            final SharedMemoryManager manager = (SharedMemoryManager)args[0];
            final int blocks = (Integer)args[1];
            final byte fill = (Byte)args[2];
            final long pause = (Long)args[3];
            final byte[] pattern = new byte[BLOCK];
            java.util.Arrays.fill(pattern, fill);
            for (int i = 0; i < blocks; i++)
            {
                final SharedMemory shm = manager.sharedMemory(BLOCK);
                shm.write(0, pattern);
                shm.close();
                Thread.sleep(pause);
            }
        }
    }
}
