package org.popbridge.proxy.upstream.imap.client;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QUIT commit of an IMAP-backed POP3 session (RFC 1939 section 6): the deletions, then
 * LOGOUT. Each step must be answered OK before the next is sent; a refusal ends the commit
 * and closes the link, leaving whatever was done (at worst, messages flagged \Deleted).
 */
final class Commit {

    private static final Logger log = LoggerFactory.getLogger(Commit.class);

    private final ImapLink link;
    private final List<String> sets;
    private final int count;
    private final CommitFallback fallback;
    private final String sessionId;

    Commit(ImapLink link, Collection<Long> deletedUids, CommitFallback fallback, String sessionId) {
        this.link = link;
        this.sets = UidSetFormat.sets(deletedUids, UidSetFormat.MAX_SET_LENGTH);
        this.count = deletedUids.size();
        this.fallback = fallback;
        this.sessionId = sessionId;
    }

    CompletableFuture<CommitOutcome> run() {
        if (sets.isEmpty()) {
            return link.logout().thenApply(done -> CommitOutcome.NOTHING_TO_DELETE);
        }
        Capabilities capabilities = link.capabilities();
        CompletableFuture<CommitOutcome> applied;
        if (capabilities.has("UIDPLUS") || capabilities.has("IMAP4rev2")) {
            applied = each("UID STORE", "+FLAGS.SILENT (\\Deleted)")
                    .thenCompose(done -> each("UID EXPUNGE", null))
                    .thenApply(done -> CommitOutcome.EXPUNGED);
        } else if (fallback.mode() == CommitFallback.Mode.FLAG_ONLY) {
            log.warn("[{}] upstream lacks UIDPLUS: {} deleted message(s) only flagged \\Deleted, "
                    + "left for the server to expunge", sessionId, count);
            applied = each("UID STORE", "+FLAGS.SILENT (\\Deleted)").thenApply(done -> CommitOutcome.FLAGGED);
        } else if (capabilities.has("MOVE")) {
            log.warn("[{}] upstream lacks UIDPLUS: {} deleted message(s) moved to the fallback folder",
                    sessionId, count);
            applied = each("UID MOVE", fallback.folder()).thenApply(done -> CommitOutcome.MOVED);
        } else {
            log.warn("[{}] upstream lacks UIDPLUS and MOVE: {} deleted message(s) copied to the fallback folder "
                    + "and flagged \\Deleted", sessionId, count);
            applied = each("UID COPY", fallback.folder())
                    .thenCompose(done -> each("UID STORE", "+FLAGS.SILENT (\\Deleted)"))
                    .thenApply(done -> CommitOutcome.COPIED_AND_FLAGGED);
        }
        return applied
                .whenComplete((outcome, failure) -> {
                    if (failure != null) {
                        link.abort();
                    }
                })
                .thenCompose(outcome -> link.logout().thenApply(done -> outcome));
    }

    /** "UID verb set [argument]" for every set, one after another. */
    private CompletableFuture<Void> each(String command, String argument) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String set : sets) {
            chain = chain.thenCompose(done -> step(command, set, argument));
        }
        return chain;
    }

    private CompletableFuture<Void> step(String command, String set, String argument) {
        String verb = command.substring("UID ".length());
        boolean folder = argument != null && (verb.equals("MOVE") || verb.equals("COPY"));
        return link.execute((tag, syntax) -> {
            ImapCommand.Builder builder = ImapCommand.builder(tag, "UID", syntax).token(verb).token(set);
            if (folder) {
                builder.astring(argument);
            } else if (argument != null) {
                builder.token(argument);
            }
            return builder.build();
        }, true).thenApply(ImapLink.requireOk(command)).thenApply(status -> null);
    }
}
