package mp4j.managers;

import java.io.Serializable;

/**
 * Makes an object of a type registered with {@link Manager#register}, in the manager's server process: Python's
 * {@code callable} in {@code BaseManager.register(typeid, callable)}. It travels to the server, so it must be
 * serializable: a method reference ({@code Counter::new}) or a lambda capturing only serializable values.
 */
@FunctionalInterface
public interface RemoteFactory<T> extends Serializable
{
    T create(Object... args) throws Exception;
}
