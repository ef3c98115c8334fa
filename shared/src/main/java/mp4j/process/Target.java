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
    void run(Object... args) throws Exception;
}
