package org.popbridge.proxy.metrics.http;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the endpoint serves, asked at each request.
 *
 * @param metrics the Prometheus text for /metrics
 * @param live whether the proxy's listeners are up, for /health
 * @param ready whether it takes new sessions (not shutting down), for /ready
 */
public record EndpointContent(Supplier<String> metrics, BooleanSupplier live, BooleanSupplier ready) {
}
