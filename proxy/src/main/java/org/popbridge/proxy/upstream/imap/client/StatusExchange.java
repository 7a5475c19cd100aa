package org.popbridge.proxy.upstream.imap.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A command whose result is its tagged status, with an optional look at the untagged responses on the way. */
class StatusExchange implements ResponseHandler {

    private final CompletableFuture<StatusResponse> result = new CompletableFuture<>();
    private final Consumer<ImapResponse> untagged;

    StatusExchange(Consumer<ImapResponse> untagged) {
        this.untagged = untagged;
    }

    StatusExchange() {
        this(response -> { });
    }

    CompletableFuture<StatusResponse> result() {
        return result;
    }

    @Override
    public void onUntagged(ImapResponse response) {
        untagged.accept(response);
    }

    @Override
    public void onTagged(StatusResponse status) {
        result.complete(status);
    }

    @Override
    public void onFailure(ImapLinkException cause) {
        result.completeExceptionally(cause);
    }
}
