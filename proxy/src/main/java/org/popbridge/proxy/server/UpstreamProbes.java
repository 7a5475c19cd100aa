package org.popbridge.proxy.server;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.SubmissionConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.upstream.ProbeReport;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.upstream.imap.ImapProbe;
import org.popbridge.proxy.upstream.pop3.Pop3Probe;
import org.popbridge.proxy.upstream.smtp.SubmissionProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Visits every upstream a configuration names (the default upstream, each route's upstream and
 * submission server, the default submission server; once per distinct URL) as a session opens
 * it, without logging in: for {@code check-config --probe}, and in the background after the
 * listeners are bound, so that a mistake shows at start rather than at a user's first login.
 */
public final class UpstreamProbes {

    private static final Logger log = LoggerFactory.getLogger(UpstreamProbes.class);

    private UpstreamProbes() {
    }

    /**
     * The reports, one per distinct upstream URL in the order the file names them. Each visit is
     * bounded by the upstream's own timeouts; the future never fails.
     *
     * @throws ConfigException if an upstream's TLS cannot be set up (its CA file, say)
     */
    public static CompletableFuture<List<ProbeReport>> run(PopbridgeConfig config, EventLoopGroup loops)
            throws ConfigException {
        List<CompletableFuture<ProbeReport>> visits = new ArrayList<>();
        // Contexts of their own: a visit is no session, and leaves no ticket for the sessions.
        UpstreamTlsContexts tls = UpstreamTlsContexts.unmetered(config.tls().engine().engine());
        for (UpstreamConfig upstream : upstreams(config)) {
            UpstreamEndpoint endpoint = RouteTables.endpoint(upstream, tls);
            visits.add(visit(new UpstreamConnector(endpoint), loops)
                    .completeOnTimeout(ProbeReport.failed(endpoint, UpstreamProblem.noReply(endpoint, "the opening")),
                            bound(endpoint).toMillis(), TimeUnit.MILLISECONDS));
        }
        return CompletableFuture.allOf(visits.toArray(CompletableFuture[]::new))
                .thenApply(done -> visits.stream().map(CompletableFuture::join).toList());
    }

    /**
     * After the listeners are bound: visits every upstream off the caller's thread and logs each
     * problem once at WARN (each good upstream at INFO). Nothing waits for it: a start or a reload
     * goes on while the visits are under way.
     */
    static void warnInBackground(PopbridgeConfig config, EventLoopGroup loops) {
        // Loading CA files and building TLS contexts is no work for the starting thread or an event loop.
        GlobalEventExecutor.INSTANCE.execute(() -> {
            try {
                run(config, loops).thenAccept(reports -> reports.forEach(report -> {
                    if (report.ok()) {
                        log.info("upstream {}: {}", report.url(), report.describe());
                    } else {
                        log.warn("upstream {}: {}", report.url(), report.describe());
                    }
                }));
            } catch (ConfigException | RuntimeException e) {
                log.warn("upstreams not checked at start: {}", e.getMessage());
            }
        });
    }

    private static CompletableFuture<ProbeReport> visit(UpstreamConnector connector, EventLoopGroup loops) {
        return switch (connector.endpoint().scheme().protocol()) {
            case POP3 -> new Pop3Probe(connector).run(loops.next());
            case IMAP -> new ImapProbe(connector).run(loops.next());
            case SMTP -> new SubmissionProbe(connector).run(loops.next());
        };
    }

    /** Every distinct upstream URL of {@code config}, in the file's order. */
    static List<UpstreamConfig> upstreams(PopbridgeConfig config) {
        Map<String, UpstreamConfig> byUrl = new LinkedHashMap<>();
        if (config.upstream() != null) {
            byUrl.putIfAbsent(config.upstream().url(), config.upstream());
        }
        for (RouteConfig route : config.upstreamRoutes()) {
            byUrl.putIfAbsent(route.upstream().url(), route.upstream());
        }
        for (RouteConfig route : config.submissionRoutes()) {
            byUrl.putIfAbsent(route.submission().url(), route.submission().server());
        }
        SubmissionConfig submission = config.submission();
        if (submission != null) {
            byUrl.putIfAbsent(submission.url(), submission.server());
        }
        return List.copyOf(byUrl.values());
    }

    /**
     * A safety net only: the steps each wait at most their timeout (connect, the handshake, a
     * reply each for the greeting, STLS or STARTTLS, and the capabilities, twice with TLS).
     */
    private static Duration bound(UpstreamEndpoint endpoint) {
        return endpoint.connectTimeout().plus(endpoint.handshakeTimeout()).plus(endpoint.replyTimeout().multipliedBy(5))
                .plusSeconds(1);
    }
}
