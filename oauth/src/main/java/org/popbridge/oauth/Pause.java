package org.popbridge.oauth;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Waits between device-flow polls without holding a thread; tests replace it to drive a test clock. */
@FunctionalInterface
interface Pause {

    CompletableFuture<Void> after(Duration wait);

    /** Real time, on the JDK's shared delay scheduler. */
    Pause REAL = wait -> CompletableFuture.runAsync(() -> { },
            CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
}
