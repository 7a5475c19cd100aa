package org.popbridge.proxy.upstream.imap.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * LOGIN or AUTHENTICATE in flight (RFC 9051 sections 6.2.2, 6.2.3): NO and BAD become a
 * {@link LoginResult}, not a failure. For AUTHENTICATE without SASL-IR the one continuation
 * request is answered with the initial response; a second one is cancelled with "*".
 */
final class LoginExchange implements ResponseHandler {

    private final CompletableFuture<LoginResult> result = new CompletableFuture<>();
    private final Consumer<ContinuationRequest> respond;
    private boolean responded;
    private boolean capabilitiesSent;

    LoginExchange(Consumer<ContinuationRequest> respond) {
        this.respond = respond;
    }

    LoginExchange() {
        this(null);
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
        if (respond != null && !responded) {
            responded = true;
            respond.accept(request);
        } else {
            // PLAIN is one message; a further challenge is not PLAIN: cancel (RFC 9051 section 6.2.2).
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
