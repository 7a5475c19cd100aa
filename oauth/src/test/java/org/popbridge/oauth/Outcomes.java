package org.popbridge.oauth;

import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on futures in tests; the time limits only stop a broken test from hanging. */
final class Outcomes {
    private Outcomes() {
    }

    static <T> T value(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    static OAuthException failure(CompletableFuture<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof OAuthException)) {
                fail("failed with " + e.getCause() + " instead of an OAuthException");
            }
            return (OAuthException) e.getCause();
        }
        return fail("succeeded where a failure was expected");
    }
}
