package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * LOGIN or AUTHENTICATE in flight (RFC 9051 sections 6.2.2, 6.2.3): NO and BAD become a
 * {@link LoginResult}, not a failure. Each continuation request is answered with the next of
 * the responses given (for AUTHENTICATE without SASL-IR, the initial response; for a bearer
 * token, the answer to the server's error challenge); one more than given is cancelled with "*".
 */
final class LoginExchange implements ResponseHandler {

    private final CompletableFuture<LoginResult> result = new CompletableFuture<>();
    private final Deque<String> responses;
    private final Consumer<String> respond;
    private boolean capabilitiesSent;

    /** An exchange that answers continuation requests with {@code responses}, in order, written by {@code respond}. */
    LoginExchange(List<String> responses, Consumer<String> respond) {
        this.responses = new ArrayDeque<>(responses);
        this.respond = respond;
    }

    /** An exchange with no continuation request expected (LOGIN, or AUTHENTICATE PLAIN with SASL-IR). */
    LoginExchange() {
        this(List.of(), line -> { });
    }

    CompletableFuture<LoginResult> result() {
        return result;
    }

    /** True when the OK carried "[CAPABILITY ...]", so they need not be asked for again. */
    boolean capabilitiesSent() {
        return capabilitiesSent;
    }

    @Override
    public void onContinuation(ContinuationRequest request) {
        if (!responses.isEmpty()) {
            respond.accept(responses.removeFirst());
        } else {
            // A challenge the mechanism has no answer for: cancel (RFC 9051 section 6.2.2).
            throw new ImapSyntaxException("unexpected AUTHENTICATE challenge");
        }
    }

    @Override
    public void onTagged(StatusResponse status) {
        capabilitiesSent = status.code("CAPABILITY").isPresent();
        result.complete(LoginResult.of(status));
    }

    @Override
    public void onFailure(ImapLinkException cause) {
        result.completeExceptionally(cause);
    }
}
