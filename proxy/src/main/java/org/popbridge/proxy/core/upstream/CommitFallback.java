package org.popbridge.proxy.core.upstream;

/**
 * What the QUIT commit does when the server lacks UIDPLUS, so that UID EXPUNGE (RFC 4315)
 * is missing and a bare EXPUNGE would also remove what other clients flagged \Deleted.
 *
 * @param folder the destination for {@link Mode#MOVE_TO_FOLDER}, null for {@link Mode#FLAG_ONLY}
 */
public record CommitFallback(Mode mode, String folder) {

    /** The fallback's kind. */
    public enum Mode {
        /** Flag \Deleted and leave the expunge to the server or another client. */
        FLAG_ONLY,
        /** UID MOVE (RFC 6851) to {@code folder}; without MOVE, UID COPY there and flag \Deleted. */
        MOVE_TO_FOLDER
    }

    public CommitFallback {
        if ((mode == Mode.MOVE_TO_FOLDER) == (folder == null || folder.isEmpty())) {
            throw new IllegalArgumentException("a folder goes with MOVE_TO_FOLDER and only with it");
        }
    }

    public static CommitFallback flagOnly() {
        return new CommitFallback(Mode.FLAG_ONLY, null);
    }

    public static CommitFallback moveTo(String folder) {
        return new CommitFallback(Mode.MOVE_TO_FOLDER, folder);
    }
}
