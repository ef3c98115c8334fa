package mp4j;

import mp4j.process.BaseProcess;
import mp4j.process.CurrentProcess;
import mp4j.process.Process;
import mp4j.util.Logging;

import java.util.List;

/**
 * The functions of Python's {@code multiprocessing} module that are not classes, in one place:
 * <pre>{@code
 * import static mp4j.Multiprocessing.*;
 *
 * cpuCount();                 // multiprocessing.cpu_count()
 * currentProcess().name();    // multiprocessing.current_process().name: "MainProcess", or the worker's name
 * parentProcess();            // multiprocessing.parent_process(): null in the main process
 * activeChildren();           // multiprocessing.active_children()
 * logToStderr(Level.DEBUG);   // multiprocessing.log_to_stderr(logging.DEBUG)
 * }</pre>
 * The classes have their own packages, named after Python's modules: {@code mp4j.process.Process},
 * {@code mp4j.pool.Pool}, {@code mp4j.sharedctypes.Value}, {@code mp4j.synchronize.Lock}, {@code mp4j.queues.Queue},
 * {@code mp4j.sharedmemory.SharedMemory}.
 */
public final class Multiprocessing
{
    private Multiprocessing()
    {
    }

    /**
     * The processors this JVM may use, as Python's {@code cpu_count()}: {@link Runtime#availableProcessors()},
     * which counts the CPUs of the machine within the process's affinity and container limits (Python 3.13's
     * {@code process_cpu_count()}); a {@code Pool} without a size starts this many workers.
     *
     * @return the number of processors, at least 1.
     */
    public static int cpuCount()
    {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * This process, as Python's {@code current_process()} (see {@link CurrentProcess#process()}).
     *
     * @return this process: its name, pid and daemon flag.
     */
    public static BaseProcess currentProcess()
    {
        return CurrentProcess.process();
    }

    /**
     * The process that started this one, as Python's {@code parent_process()}.
     *
     * @return the parent, or null in the main process.
     */
    public static BaseProcess parentProcess()
    {
        return CurrentProcess.parent();
    }

    /**
     * The processes this JVM started that still run, as Python's {@code active_children()}.
     *
     * @return a new list of the live children, pool workers among them.
     */
    public static List<Process> activeChildren()
    {
        return CurrentProcess.activeChildren();
    }

    /**
     * mp4j's logger, as Python's {@code get_logger()}; silent unless switched on (see {@link Logging}).
     *
     * @return the logger mp4j writes its events to.
     */
    public static System.Logger getLogger()
    {
        return Logging.logger();
    }

    /**
     * Prints mp4j's events at {@code level} and above to standard error, as Python's {@code log_to_stderr()}.
     *
     * @param level the lowest level printed: {@code DEBUG} for every event.
     * @return the logger now in use.
     */
    public static System.Logger logToStderr(final System.Logger.Level level)
    {
        return Logging.logToStderr(level);
    }
}
