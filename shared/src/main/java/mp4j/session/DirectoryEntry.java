package mp4j.session;

/**
 * One decoded entry of the object directory (layout: {@link SessionLayout}).
 *
 * @param index      position in the directory; stable for the session's life.
 * @param kind       what the object is; null when the code is unknown to this version.
 * @param kindCode   the raw kind code.
 * @param typeCode   Python type code ('i', 'd', ...) or 0.
 * @param offset     absolute offset of the object's bytes.
 * @param length     bytes of the object.
 * @param lockOffset absolute offset of its lock word, or -1.
 * @param count      kind-specific: elements, capacity, parties...
 * @param creatorSlot process slot that allocated it.
 * @param flags      kind-specific flags.
 * @param name       the object's name.
 */
public record DirectoryEntry(
    int index, ObjectKind kind, int kindCode, int typeCode, long offset, long length, long lockOffset, long count,
    int creatorSlot, int flags, String name)
{
    /**
     * Whether the object has a lock word.
     *
     * @return whether {@code lockOffset} is not negative
     */
    public boolean hasLock()
    {
        return lockOffset >= 0;
    }
}
