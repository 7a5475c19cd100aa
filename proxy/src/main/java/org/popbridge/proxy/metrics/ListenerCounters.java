package org.popbridge.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.popbridge.proxy.core.metrics.Limit;
import org.popbridge.proxy.core.metrics.ListenerMeters;
import org.popbridge.proxy.core.metrics.LoginFailure;
import org.popbridge.proxy.core.metrics.TokenFailure;
import org.popbridge.proxy.core.metrics.UpstreamStage;

/**
 * One listener's meters in Micrometer, labelled {@code protocol} and {@code listener}. Meters
 * with a fixed set of labels are made once; those labelled by a route or a TLS cipher are
 * looked up in the registry, whose labels come from the config and the TLS engine, never from
 * what a client typed.
 */
final class ListenerCounters implements ListenerMeters {

    private final MeterRegistry registry;
    private final String protocol;
    private final Tags tags;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter sessions;
    private final Counter logins;
    private final Map<LoginFailure, Counter> loginFailures = new EnumMap<>(LoginFailure.class);
    private final Counter bearerLogins;
    private final Map<TokenFailure, Counter> tokenFailures = new EnumMap<>(TokenFailure.class);
    private final Map<Limit, Counter> limits = new EnumMap<>(Limit.class);
    private final Counter fromClient;
    private final Counter toClient;
    private final Counter retrieved;
    private final Counter deleted;
    private final Counter sent;
    private final Counter tlsFailures;

    ListenerCounters(MeterRegistry registry, String protocol, String listener) {
        this.registry = registry;
        this.protocol = protocol;
        this.tags = Tags.of("protocol", protocol, "listener", listener);
        Gauge.builder("popbridge.sessions.open", open, AtomicInteger::get)
                .description("Client sessions open now").tags(tags).register(registry);
        sessions = counter("popbridge.sessions", "Client sessions admitted", tags);
        logins = counter("popbridge.logins", "Client logins that succeeded", tags);
        for (LoginFailure reason : LoginFailure.values()) {
            loginFailures.put(reason, counter("popbridge.login.failures", "Client logins that failed, by reason",
                    tags.and("reason", reason.label())));
        }
        bearerLogins = counter("popbridge.logins.bearer",
                "Client logins whose server took an OAuth 2.0 access token (auth: oauth2)", tags);
        for (TokenFailure reason : TokenFailure.values()) {
            tokenFailures.put(reason, counter("popbridge.token.failures",
                    "Client logins for which no access token could be had (auth: oauth2), by reason",
                    tags.and("reason", reason.label())));
        }
        for (Limit limit : Limit.values()) {
            limits.put(limit, counter("popbridge.limits.hit", "Clients that ran into a configured limit",
                    tags.and("limit", limit.key())));
        }
        fromClient = counter("popbridge.octets", "Protocol octets relayed, by direction",
                tags.and("direction", "from_client"));
        toClient = counter("popbridge.octets", "Protocol octets relayed, by direction",
                tags.and("direction", "to_client"));
        retrieved = counter("popbridge.messages", "Messages retrieved (RETR), deleted (at QUIT) and sent (SMTP)",
                tags.and("action", "retrieved"));
        deleted = counter("popbridge.messages", "Messages retrieved (RETR), deleted (at QUIT) and sent (SMTP)",
                tags.and("action", "deleted"));
        sent = counter("popbridge.messages", "Messages retrieved (RETR), deleted (at QUIT) and sent (SMTP)",
                tags.and("action", "sent"));
        tlsFailures = counter("popbridge.client.tls.failures", "Client TLS handshakes that failed", tags);
    }

    private Counter counter(String name, String description, Tags labels) {
        return Counter.builder(name).description(description).tags(labels).register(registry);
    }

    @Override
    public void sessionOpened() {
        open.incrementAndGet();
        sessions.increment();
    }

    @Override
    public void sessionClosed() {
        open.decrementAndGet();
    }

    @Override
    public void loggedIn() {
        logins.increment();
    }

    @Override
    public void loginFailed(LoginFailure reason) {
        loginFailures.get(reason).increment();
    }

    @Override
    public void bearerLoggedIn() {
        bearerLogins.increment();
    }

    @Override
    public void tokenFailed(TokenFailure reason) {
        tokenFailures.get(reason).increment();
    }

    @Override
    public void upstreamFailed(String route, UpstreamStage stage) {
        counter("popbridge.upstream.failures", "Mail servers that could not be reached or logged in to, by route",
                Tags.of("protocol", protocol, "route", route == null ? "unknown" : route, "stage", stage.label()))
                .increment();
    }

    @Override
    public void octetsFromClient(long octets) {
        fromClient.increment(octets);
    }

    @Override
    public void octetsToClient(long octets) {
        toClient.increment(octets);
    }

    @Override
    public void retrieved() {
        retrieved.increment();
    }

    @Override
    public void deleted(int count) {
        deleted.increment(count);
    }

    @Override
    public void sent() {
        sent.increment();
    }

    @Override
    public void clientTls(String version, String cipher) {
        counter("popbridge.client.tls.handshakes", "Client TLS handshakes, by protocol version and cipher suite",
                tags.and("version", version, "cipher", cipher)).increment();
    }

    @Override
    public void clientTlsFailed() {
        tlsFailures.increment();
    }

    @Override
    public void limitHit(Limit limit) {
        limits.get(limit).increment();
    }
}
