package mp4j.sharedmemory;

/**
 * What {@link SharedMemory#attach(String, AttachOption...)} accepts beyond the default. By default a block must
 * be the current user's and have no wider mode than {@code rw-------} (0600), the checks mp4j makes of its
 * session files: a block of another user, or one other users may write, could have been planted or changed by
 * someone else. CPython makes its blocks 0600 too, so a Java and a Python process of the same user need no option.
 */
public enum AttachOption
{
    /**
     * Also attach to a block of another user, or one whose mode lets other users in: for a block shared on purpose
     * with a process running as another user (a Python service running as its own user, say, that made its block
     * 0660 for a shared group). Trust its bytes as you trust that user. Without code changes, the system property
     * {@code -Dmp4j.shm.otherUsers=name1,name2} (or {@code *} for every block) does the same for the blocks it
     * names; it reaches workers too, as every {@code mp4j.*} property does.
     */
    OTHER_USERS
}
