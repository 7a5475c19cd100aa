package org.popbridge.proxy.upstream.imap;

import java.util.concurrent.CompletionException;
import org.popbridge.proxy.pop3.session.UpstreamFailure;
import org.popbridge.proxy.upstream.imap.client.ImapFailure;
import org.popbridge.proxy.upstream.imap.client.ImapLinkException;

/** Turns what went wrong on the IMAP side into what the POP3 session understands. */
final class Failures {

    private Failures() {
    }

    /** The cause inside a future's failure. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** For the log: the link's own message, which never holds a secret. */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ImapLinkException link ? link.getMessage() : cause.getClass().getSimpleName();
    }

    static UpstreamFailure of(ImapFailure failure) {
        return switch (failure) {
            case UNAVAILABLE -> UpstreamFailure.UNAVAILABLE;
            case TIMED_OUT -> UpstreamFailure.TIMED_OUT;
            case PROTOCOL, REFUSED -> UpstreamFailure.PROTOCOL;
            case LOST, CLOSED -> UpstreamFailure.LOST;
        };
    }
}
