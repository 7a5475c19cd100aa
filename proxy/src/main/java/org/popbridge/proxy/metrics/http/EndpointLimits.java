package org.popbridge.proxy.metrics.http;

import java.time.Duration;

/**
 * What one client of the endpoint may cost.
 *
 * @param requestLineOctets the longest request line (method, path, version)
 * @param headerOctets the most octets of header fields
 * @param bodyOctets the largest request body (a GET has none)
 * @param requestTimeout how long a connection may stay open to send its request and read the answer,
 *     however slowly it trickles (slowloris)
 * @param connections how many connections may be open at once; more are closed at once
 */
public record EndpointLimits(int requestLineOctets, int headerOctets, int bodyOctets, Duration requestTimeout,
                             int connections) {

    /** Enough for Prometheus and curl, little for anyone else. */
    public static final EndpointLimits DEFAULTS = new EndpointLimits(1024, 8192, 1024, Duration.ofSeconds(10), 16);
}
