package org.popbridge.oauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit: an identity provider (or whatever answers at its
 * URL) cannot make popbridge hold more than that, whatever it announces or sends.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body was larger than the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(int limit) {
            super("answer larger than " + limit + " bytes");
        }
    }

    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private boolean done;

    private BoundedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<byte[]> handler(int limit) {
        return info -> {
            BoundedBody subscriber = new BoundedBody(limit);
            OptionalLong announced = info.headers().firstValueAsLong("content-length");
            if (announced.isPresent() && announced.getAsLong() > limit) {
                subscriber.done = true;
                subscriber.body.completeExceptionally(new TooLarge(limit));
            }
            return subscriber;
        };
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (done) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        for (ByteBuffer item : items) {
            if (out.size() + (long) item.remaining() > limit) {
                done = true;
                subscription.cancel();
                body.completeExceptionally(new TooLarge(limit));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable failure) {
        done = true;
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            body.complete(out.toByteArray());
        }
    }
}
