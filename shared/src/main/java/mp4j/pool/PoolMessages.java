package mp4j.pool;

/**
 * The messages on a pool's rings ({@link PoolLayout}), each framed as {@link mp4j.queues.RingFraming} says (one record, or
 * pieces when longer than a record); bodies are little-endian, values in {@link mp4j.codec.ValueCodec}'s encoding.
 * The first byte says which message it is:
 * <pre>
 *  kind          direction        body after the kind byte (offsets from the message's start)
 *  ------------- ---------------- ----------------------------------------------------------------------------
 *  1 DEFINE      owner -> worker  +1 fnId int, +5 forgetId int, +9 encoded function (a RemoteFunction or
 *                                 StarFunction); the worker drops function forgetId (-1: none): the owner
 *                                 decides which functions a worker keeps, so both sides always agree
 *  2 TASK        owner -> worker  +1 taskId long, +9 fnId int, +13 mode byte, +14 encoded items (MAP: packed,
 *                                 see Packed) or Object[] (STAR: argument arrays; CALL: the call's arguments)
 *  3 STOP        owner -> worker  (nothing) finish and exit: the pool was closed
 *  10 RESULT     worker -> owner  +1 taskId long, +9 status byte, +10 encoded value: on OK the packed results
 *                                 (MAP, STAR) or the single result (CALL); on ERROR Object[]{class, message,
 *                                 trace, frames, exception} where frames is an Object[] of
 *                                 "class|method|file|line" and exception the encoded exception (byte[]), or
 *                                 why it is not (String) (see TaskException)
 * </pre>
 * Modes: MAP applies a RemoteFunction to each item, STAR a StarFunction to each item's Object[] of arguments,
 * CALL a StarFunction once to the arguments.
 */
final class PoolMessages
{
    static final int KIND = 0;

    static final byte DEFINE = 1;
    static final byte TASK = 2;
    static final byte STOP = 3;
    static final byte RESULT = 10;

    static final byte MAP = 0;
    static final byte STAR = 1;
    static final byte CALL = 2;

    static final byte OK = 0;
    static final byte ERROR = 1;

    static final int DEFINE_FN_ID = 1;
    static final int DEFINE_FORGET_ID = 5;
    static final int DEFINE_FUNCTION = 9;

    static final int TASK_ID = 1;
    static final int TASK_FN_ID = 9;
    static final int TASK_MODE = 13;
    static final int TASK_ITEMS = 14;

    static final int STOP_LENGTH = 1;

    static final int RESULT_TASK_ID = 1;
    static final int RESULT_STATUS = 9;
    static final int RESULT_VALUE = 10;

    private PoolMessages()
    {
    }
}
