package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.popbridge.filters.FilterChain;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * Everything popbridge runs with: what it listens on, where it relays (the default upstream and
 * submission server, and the routes by user), the certificate it
 * serves, where it keeps state, the session limits, the shutdown grace period, and the filter
 * chain with the settings it runs under.
 *
 * <p>The chain is built, each filter configured and checked, when the config is loaded. A
 * {@link FilterChain} has no value equality, so two configs with filters are equal only if
 * they share the chain; configs without filters share {@link FilterChain#empty()}.
 *
 * @param upstream the default route, taking users no route takes; null if there is none
 * @param routes upstreams and submission servers by user name or domain, in file order; lookups
 *     do not depend on the order
 * @param submission the default submission server SMTP listeners send through, taking users no
 *     route with a submission server takes; null if there is none
 * @param filtering how the chain runs: failure policy, time budget, header limit, login scan, verdict cache
 * @param filterChain the configured filters in order, run with {@code filtering}'s policy and budget
 * @param logging the log's level, format and file
 * @param metrics where the metrics endpoint listens; null for none
 * @param transport the sockets' transport and the event loops' busy-poll, read at start only
 * @param warmUp whether the start runs the relay code through a private in-process session first
 *     (warm-up: true, the default), so the JIT has compiled it before the first client comes
 */
public record PopbridgeConfig(
        List<ListenerConfig> listen,
        UpstreamConfig upstream,
        List<RouteConfig> routes,
        SubmissionConfig submission,
        TlsConfig tls,
        Path stateDir,
        LimitsConfig limits,
        Duration shutdownGrace,
        FilteringConfig filtering,
        FilterChain filterChain,
        LoggingConfig logging,
        MetricsConfig metrics,
        TransportConfig transport,
        boolean warmUp) {

    /** Used when neither the file nor the command line names a listener. */
    public static final List<ListenerConfig> DEFAULT_LISTENERS = List.of(
            ListenerConfig.parse("pop3://127.0.0.1:1110"), ListenerConfig.parse("pop3s://127.0.0.1:1995"));
    public static final Path DEFAULT_STATE_DIR = Path.of("popbridge-state");
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /**
     * Checks that no two routes take the same users, that there is at most one default route
     * (for reading, and for sending), that the chain runs as {@code filtering} says, and that a
     * chain that may hide has the login scan it needs.
     *
     * <p>Whether every listener has somewhere to relay to is not checked here, so that the
     * command line can add the missing server to a file's settings: the loader checks a file
     * ({@link #of}), the command line its result.
     */
    public PopbridgeConfig {
        routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        if (upstream != null && upstream.scheme().protocol() == UpstreamScheme.Protocol.SMTP) {
            throw new IllegalArgumentException("the upstream is read from, not an SMTP server: " + upstream.url()
                    + "; give it as submission");
        }
        RouteConfig.checkTogether(routes, upstream != null, submission != null);
        Objects.requireNonNull(filtering, "filtering");
        Objects.requireNonNull(filterChain, "filterChain");
        if (!filterChain.entries().isEmpty() && (filterChain.policy() != filtering.onFailure()
                || !filterChain.timeBudget().equals(filtering.timeBudget()))) {
            throw new IllegalArgumentException("the filter chain must run with filtering's on-failure and time-budget");
        }
        FilterChainBuilder.requireScanIfHiding(filterChain, filtering);
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(transport, "transport");
    }

    /** A config with the default transport and the start-up warm-up on. */
    public PopbridgeConfig(List<ListenerConfig> listen, UpstreamConfig upstream, List<RouteConfig> routes,
                           SubmissionConfig submission, TlsConfig tls, Path stateDir, LimitsConfig limits,
                           Duration shutdownGrace, FilteringConfig filtering, FilterChain filterChain,
                           LoggingConfig logging, MetricsConfig metrics) {
        this(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering, filterChain, logging,
                metrics, TransportConfig.defaults(), true);
    }

    /** A config without a metrics endpoint. */
    public PopbridgeConfig(List<ListenerConfig> listen, UpstreamConfig upstream, List<RouteConfig> routes,
                           SubmissionConfig submission, TlsConfig tls, Path stateDir, LimitsConfig limits,
                           Duration shutdownGrace, FilteringConfig filtering, FilterChain filterChain,
                           LoggingConfig logging) {
        this(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering, filterChain, logging,
                null);
    }

    /** A config with the default logging and without a metrics endpoint. */
    public PopbridgeConfig(List<ListenerConfig> listen, UpstreamConfig upstream, List<RouteConfig> routes,
                           SubmissionConfig submission, TlsConfig tls, Path stateDir, LimitsConfig limits,
                           Duration shutdownGrace, FilteringConfig filtering, FilterChain filterChain) {
        this(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering, filterChain,
                LoggingConfig.defaults(), null);
    }

    /** A config without a submission server. */
    public PopbridgeConfig(List<ListenerConfig> listen, UpstreamConfig upstream, List<RouteConfig> routes,
                           TlsConfig tls, Path stateDir, LimitsConfig limits, Duration shutdownGrace,
                           FilteringConfig filtering, FilterChain filterChain) {
        this(listen, upstream, routes, null, tls, stateDir, limits, shutdownGrace, filtering, filterChain,
                LoggingConfig.defaults());
    }

    /** A config without routes by user or submission server: every session goes to {@code upstream}. */
    public PopbridgeConfig(List<ListenerConfig> listen, UpstreamConfig upstream, TlsConfig tls, Path stateDir,
                           LimitsConfig limits, Duration shutdownGrace, FilteringConfig filtering,
                           FilterChain filterChain) {
        this(listen, upstream, List.of(), null, tls, stateDir, limits, shutdownGrace, filtering, filterChain,
                LoggingConfig.defaults());
    }

    @JsonCreator
    public static PopbridgeConfig of(
            @JsonProperty("listen") List<ListenerConfig> listen,
            @JsonProperty("upstream") UpstreamConfig upstream,
            @JsonProperty("routes") List<RouteConfig> routes,
            @JsonProperty("submission") SubmissionConfig submission,
            @JsonProperty("tls") TlsConfig tls,
            @JsonProperty("state-dir") Path stateDir,
            @JsonProperty("limits") LimitsConfig limits,
            @JsonProperty("shutdown-grace") Duration shutdownGrace,
            @JsonProperty("filtering") FilteringConfig filtering,
            @JsonProperty("filters") List<FilterSpec> filters,
            @JsonProperty("logging") LoggingConfig logging,
            @JsonProperty("metrics") MetricsConfig metrics,
            @JsonProperty("transport") TransportConfig transport,
            @JsonProperty("warm-up") Boolean warmUp) {
        if (shutdownGrace != null && shutdownGrace.isNegative()) {
            throw new SettingException("shutdown-grace", "must not be negative");
        }
        if (routes != null && routes.contains(null)) {
            throw new SettingException("routes", routes.indexOf(null),
                    "an empty route; give match: and upstream: under the '- '");
        }
        List<ListenerConfig> listeners = listen == null || listen.isEmpty() ? DEFAULT_LISTENERS : List.copyOf(listen);
        // An SMTP listener without a submission server is refused after the command line is
        // applied (RunOptions), as a POP3 listener without an upstream is: --submission may give it.
        FilteringConfig settled = filtering == null ? FilteringConfig.defaults() : filtering;
        return new PopbridgeConfig(
                listeners,
                upstream,
                routes == null ? List.of() : routes,
                submission,
                tls == null ? TlsConfig.none() : tls,
                stateDir == null ? DEFAULT_STATE_DIR : stateDir,
                limits == null ? LimitsConfig.defaults() : limits,
                shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace,
                settled,
                FilterChainBuilder.build(filters == null ? List.of() : filters, settled),
                logging == null ? LoggingConfig.defaults() : logging,
                metrics,
                transport == null ? TransportConfig.defaults() : transport,
                warmUp == null || warmUp);
    }

    /** The configuration of a run with no file: defaults everywhere, and no filters. */
    public static PopbridgeConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public PopbridgeConfig withListen(List<ListenerConfig> newListen) {
        return new PopbridgeConfig(List.copyOf(newListen), upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withUpstream(UpstreamConfig newUpstream) {
        return new PopbridgeConfig(listen, newUpstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    /**
     * Other routes by user, with this config's default upstream.
     *
     * @throws IllegalArgumentException if two routes take the same users, or a {@code *} route
     *     meets the top-level upstream
     */
    public PopbridgeConfig withRoutes(List<RouteConfig> newRoutes) {
        return new PopbridgeConfig(listen, upstream, newRoutes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    /**
     * Another default submission server, with this config's routes.
     *
     * @throws IllegalArgumentException if a {@code *} route has a submission server too
     */
    public PopbridgeConfig withSubmission(SubmissionConfig newSubmission) {
        return new PopbridgeConfig(listen, upstream, routes, newSubmission, tls, stateDir, limits, shutdownGrace,
                filtering, filterChain, logging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withTls(TlsConfig newTls) {
        return new PopbridgeConfig(listen, upstream, routes, submission, newTls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withStateDir(Path newStateDir) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, newStateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withLimits(LimitsConfig newLimits) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, newLimits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withShutdownGrace(Duration newGrace) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, newGrace, filtering,
                filterChain, logging, metrics, transport, warmUp);
    }

    /**
     * The same filters run under other {@code filtering} settings.
     *
     * @throws org.popbridge.filters.FilterConfigException if a filter may hide and the login scan is off
     */
    public PopbridgeConfig withFiltering(FilteringConfig newFiltering) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, newFiltering,
                FilterChainBuilder.rebuild(filterChain, newFiltering), logging, metrics, transport, warmUp);
    }

    /**
     * These filters, in order, instead of the configured ones, run with this config's on-failure and
     * time-budget (for tests and embedding; a config file names its filters under {@code filters:}).
     */
    public PopbridgeConfig withFilters(List<FilterChain.Entry> entries) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                FilterChainBuilder.rebuild(new FilterChain(entries, filtering.onFailure(), filtering.timeBudget()),
                        filtering), logging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withLogging(LoggingConfig newLogging) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, newLogging, metrics, transport, warmUp);
    }

    public PopbridgeConfig withMetrics(MetricsConfig newMetrics) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, newMetrics, transport, warmUp);
    }

    /** The same config with the start-up warm-up on or off. */
    public PopbridgeConfig withWarmUp(boolean newWarmUp) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, transport, newWarmUp);
    }

    /** The same config with another transport block. */
    public PopbridgeConfig withTransport(TransportConfig newTransport) {
        return new PopbridgeConfig(listen, upstream, routes, submission, tls, stateDir, limits, shutdownGrace, filtering,
                filterChain, logging, metrics, newTransport, warmUp);
    }

    /** Whether any listener serves POP3, which needs an upstream to read mail from. */
    public boolean readsMail() {
        return listen.stream().anyMatch(listener -> listener.protocol() == ListenerScheme.Protocol.POP3);
    }

    /** Whether any listener takes SMTP submission, which needs a submission server to send mail through. */
    public boolean sendsMail() {
        return listen.stream().anyMatch(ListenerConfig::speaksSmtp);
    }

    /** Whether mail can be read from somewhere: the top-level upstream or a route's. */
    public boolean hasUpstream() {
        return upstream != null || routes.stream().anyMatch(RouteConfig::hasUpstream);
    }

    /** Whether mail can be sent somewhere: the top-level submission server or a route's. */
    public boolean hasSubmission() {
        return submission != null || routes.stream().anyMatch(RouteConfig::hasSubmission);
    }

    /** The routes that say where mail is read from, in file order: what POP3 sessions route by. */
    public List<RouteConfig> upstreamRoutes() {
        return routes.stream().filter(RouteConfig::hasUpstream).toList();
    }

    /** The routes that say where mail is sent through, in file order: what SMTP sessions route by. */
    public List<RouteConfig> submissionRoutes() {
        return routes.stream().filter(RouteConfig::hasSubmission).toList();
    }
}
