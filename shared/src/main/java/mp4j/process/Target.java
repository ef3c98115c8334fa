package mp4j.process;

import java.io.Serializable;

/**
 * What a {@link Process} runs in its worker JVM, as Python's {@code target}: a serializable lambda, or a class
 * with a public no-argument constructor. It reaches the worker serialized, so what a lambda captures must be
 * serializable too; shared objects (Value, Lock, ...) are passed by reference and stay shared.
 */
@FunctionalInterface
public interface Target extends Serializable
{
    /**
     * Runs in the worker JVM; the process's exit code is 0 when it returns, 1 when it throws (the exception is
     * printed on the worker's stderr, as Python prints a target's traceback).
     *
     * @param args the arguments given to the {@link Process}, decoded in the worker.
     * @throws Exception whatever the target throws; it ends the process with exit code 1.
     */
    void run(Object... args) throws Exception;
}
