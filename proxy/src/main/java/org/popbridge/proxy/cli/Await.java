package org.popbridge.proxy.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.popbridge.oauth.OAuthException;

/** Waits, bounded, for an exchange of the oauth module, for the commands that have nothing else to do meanwhile. */
final class Await {

    private Await() {
    }

    /**
     * The value of {@code future} within {@code limit}; its OAuthException, or a TEMPORARY one if
     * the limit passes (the future is then cancelled).
     */
    static <T> T of(CompletableFuture<T> future, Duration limit) throws OAuthException, InterruptedException {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw OAuthException.of(e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new OAuthException(OAuthException.Kind.TEMPORARY, "no answer from the identity provider within "
                    + limit.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }
}
