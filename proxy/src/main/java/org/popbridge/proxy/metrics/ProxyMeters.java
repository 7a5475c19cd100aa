package org.popbridge.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.popbridge.filters.ChainObserver;
import org.popbridge.oauth.TokenEvents;
import org.popbridge.proxy.core.metrics.CacheLookups;
import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.popbridge.proxy.core.metrics.UpstreamHandshakes;

/**
 * The proxy's meters, one set per process: a reload of the settings makes new listeners and a
 * new filter chain, which are given the same meters again, so counts go on across it.
 */
public final class ProxyMeters {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ListenerCounters> listeners = new ConcurrentHashMap<>();
    private final FilterMeters filters = new FilterMeters(registry);
    private final CertificateDays certificates = new CertificateDays(registry);
    private final TokenMeters tokens = new TokenMeters(registry);

    /**
     * The meters of one listener; asked again for the same listener (after a reload), the same ones.
     *
     * @param protocol {@code pop3} or {@code smtp}
     * @param listener the listener's URL as the config gives it (scheme, host and port)
     */
    public ListenerMeters listener(String protocol, String listener) {
        return listeners.computeIfAbsent(protocol + " " + listener,
                key -> new ListenerCounters(registry, protocol, listener));
    }

    /** What hears the filters' verdicts and times; give it to the chain with {@code observedBy}. */
    public ChainObserver filters() {
        return filters;
    }

    /** What counts the verdict cache's hits and misses. */
    public CacheLookups verdictCache() {
        return filters;
    }

    /** Where the served certificates' days left are read at each scrape (replaced on reload). */
    public void certificates(Supplier<Map<String, Long>> daysLeft) {
        certificates.readFrom(daysLeft);
    }

    /**
     * What counts the TLS handshakes with one mail server, new and resumed; asked again for the
     * same server (after a reload), the same counters.
     *
     * @param route the server's URL as the config gives it, as popbridge.upstream.failures labels it
     */
    public UpstreamHandshakes upstreamHandshakes(String route) {
        Counter fresh = handshakeCounter(route, "new");
        Counter resumed = handshakeCounter(route, "resumed");
        return wasResumed -> (wasResumed ? resumed : fresh).increment();
    }

    private Counter handshakeCounter(String route, String session) {
        return Counter.builder("popbridge.upstream.tls.handshakes")
                .description("TLS handshakes with mail servers: a new session (certificate verified) or one resumed from a ticket")
                .tags("route", route, "session", session).register(registry);
    }

    /** What counts the OAuth 2.0 access-token refreshes and their failures (auth: oauth2). */
    public TokenEvents tokens() {
        return tokens;
    }

    /** Every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        certificates.refresh();
        return registry.scrape();
    }
}
