package mp4j.managers;

import java.io.Serializable;

/**
 * Makes an object of a type registered with {@link Manager#register}, in the manager's server process: Python's
 * {@code callable} in {@code BaseManager.register(typeid, callable)}. It travels to the server, so it must be
 * serializable: a method reference ({@code Counter::new}) or a lambda capturing only serializable values.
 *
 * @param <T> the type of the objects it makes.
 */
@FunctionalInterface
public interface RemoteFactory<T> extends Serializable
{
    /**
     * Makes an object, in the server process.
     *
     * @param args the arguments given to {@link Manager#create}, decoded in the server.
     * @return the object; its public methods are what proxies call.
     * @throws Exception whatever making it throws; the caller of {@code create} gets a {@link RemoteCallException}.
     */
    T create(Object... args) throws Exception;
}
