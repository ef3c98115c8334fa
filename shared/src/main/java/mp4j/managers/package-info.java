/**
 * Python's {@code multiprocessing.managers}: a {@link mp4j.managers.Manager} makes a dict
 * ({@link mp4j.managers.SharedDict}, a {@code ConcurrentMap}), a list ({@link mp4j.managers.SharedList}) and a
 * {@link mp4j.managers.Namespace} that every process of the session shares, and hands out the session's own
 * Lock, RLock, Value, Queue, Event, Barrier and the rest.
 *
 * <h2>The architecture, and why</h2>
 * CPython's manager is a server process owning ordinary objects; each proxy call is a request and a reply over a
 * socket, pickled. The same design over mp4j's rings would cost at least a ring round trip per call (4-6 us
 * median here for a Queue or Pipe, apply_async 7-10 us) and would need its server alive: a killed server fails
 * every proxy. The containers here live directly in shared memory instead, and a call is the caller's own work
 * under one robust lock: 80 ns for a get, 160 ns for a set, 190 ns for a merge of CPU in one warmed-up process
 * (measured with ThreadMXBean on this 2-core machine), with nothing to wait for and nobody whose death takes the
 * containers along. The pieces, each documented where it lives:
 * <ul>
 * <li>{@link mp4j.managers.ManagerLayout}: the manager's header in the session file: the lock (a
 *     {@code LockWord}, recovered from a dead holder), the allocator, the free lists, the segment table and the
 *     undo log that makes every update all-or-nothing when its process is killed in the middle;</li>
 * <li>{@link mp4j.managers.ContainerLayout}: the blocks in {@code /dev/shm} the manager makes as it grows (recorded
 *     by the session's SharedMemoryManager records, so its end or {@code launcher clean} removes them): a registry
 *     of containers, CPython's compact dict (insertion ordered), list tables, and immutable records holding
 *     {@code mp4j.codec.ValueCodec} encodings (the project's one serialization rule);</li>
 * <li>{@link mp4j.managers.ManagerCheck}: a walk of every block that proves nothing was lost or broken.</li>
 * </ul>
 * For a user's own types, which need objects with behaviour rather than values, there is Python's design as well:
 * {@link mp4j.managers.Manager#register} starts a {@link mp4j.managers.ManagerServer} process that owns their
 * objects and runs their methods for every process ({@link mp4j.managers.RemoteObject}); its death fails every
 * call on them at once ({@link mp4j.managers.ServerDiedException}) and leaves the containers as they are.
 */
package mp4j.managers;
