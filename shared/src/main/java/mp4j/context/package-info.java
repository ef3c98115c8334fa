/**
 * One program, two places to run: a {@link mp4j.context.Context} makes the pool and the synchronisation objects a
 * program uses, as Python's {@code multiprocessing.get_context()} does. {@link mp4j.context.Context#local()} makes
 * today's mp4j objects (worker JVMs on this machine, state in {@code /dev/shm}); the {@code mp4j-cluster} module's
 * {@code ClusterContext} makes the same interfaces over an Apache Ignite cluster. Switching is one line:
 * <pre>{@code
 * Context ctx = Context.local();
 * // Context ctx = ClusterContext.connect("127.0.0.1:47500..47509");
 * try (ProcessPool pool = ctx.pool(4))
 * {
 *     SharedValue total = ctx.value('q', 0);
 *     pool.map((Integer x) -> total.addAndGet(x), List.of(1, 2, 3));
 * }
 * }</pre>
 * The interfaces hold what both places can promise; each implementation documents where its semantics differ.
 * Each interface lives beside the local class that implements it, as {@code java.util.concurrent.locks.Lock} does
 * beside {@code ReentrantLock}: {@link mp4j.pool.ProcessPool}, {@link mp4j.sharedctypes.SharedValue},
 * {@link mp4j.synchronize.SharedLock} and the other synchronisation objects, {@link mp4j.queues.SharedQueue}. This
 * package, which makes them all, stands above them (see {@code docs/architecture.md}).
 */
package mp4j.context;
