package mp4j.pool;

/**
 * The messages on a pool's rings ({@link PoolLayout}); bodies are little-endian, values in
 * {@link mp4j.codec.ValueCodec}'s encoding. The ring record's type id says which message it is.
 * <pre>
 *  type          direction        body
 *  ------------- ---------------- ----------------------------------------------------------------------------
 *  1 DEFINE      owner -> worker  fnId int, forgetId int, encoded function (a RemoteFunction or StarFunction);
 *                                 the worker drops function forgetId (-1: none): the owner decides which
 *                                 functions a worker keeps, so both sides always agree
 *  2 TASK        owner -> worker  taskId long, fnId int, mode byte, encoded items (MAP: packed, see Packed)
 *                                 or Object[] (STAR: argument arrays; CALL: the call's arguments)
 *  3 STOP        owner -> worker  (empty) finish and exit: the pool was closed
 *  4 FRAGMENT    both             type int, total int, at int, bytes: a piece of a message longer than the
 *                                 ring's largest record; pieces follow each other, at = 0 starts a message
 *  10 RESULT     worker -> owner  taskId long, status byte, encoded value: on OK the packed results (MAP,
 *                                 STAR) or the single result (CALL); on ERROR Object[]{class, message, trace,
 *                                 frames, exception} where frames is an Object[] of "class|method|file|line"
 *                                 and exception the encoded exception (byte[]), or why it is not (String)
 *                                 (see TaskException)
 * </pre>
 * Modes: MAP applies a RemoteFunction to each item, STAR a StarFunction to each item's Object[] of arguments,
 * CALL a StarFunction once to the arguments.
 */
final class PoolMessages
{
    static final int DEFINE = 1;
    static final int TASK = 2;
    static final int STOP = 3;
    static final int FRAGMENT = 4;
    static final int RESULT = 10;

    static final byte MAP = 0;
    static final byte STAR = 1;
    static final byte CALL = 2;

    static final byte OK = 0;
    static final byte ERROR = 1;

    static final int DEFINE_FN_ID = 0;
    static final int DEFINE_FORGET_ID = 4;
    static final int DEFINE_FUNCTION = 8;

    static final int TASK_ID = 0;
    static final int TASK_FN_ID = 8;
    static final int TASK_MODE = 12;
    static final int TASK_ITEMS = 13;

    static final int RESULT_TASK_ID = 0;
    static final int RESULT_STATUS = 8;
    static final int RESULT_VALUE = 9;

    static final int FRAGMENT_TYPE = 0;
    static final int FRAGMENT_TOTAL = 4;
    static final int FRAGMENT_AT = 8;
    static final int FRAGMENT_BYTES = 12;

    private PoolMessages()
    {
    }
}
