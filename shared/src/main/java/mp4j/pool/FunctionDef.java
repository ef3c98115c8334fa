package mp4j.pool;

/** A function encoded once for all its tasks; {@code id} names it on the rings. */
record FunctionDef(int id, byte[] encoded)
{
}
