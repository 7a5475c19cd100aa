package org.popbridge.proxy.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.routing.UserPattern;
import org.popbridge.proxy.core.routing.UserRewrite;

/**
 * Where a user's tokens are for: the {@code auth: oauth2} server the user is routed to (the
 * route's upstream, else its submission server; the top-level ones for users no route takes),
 * its provider, and the account name the upstream knows the user by (the login name after the
 * route's rewrite). Routes are looked up as the running proxy looks them up: an exact name, then
 * the domain, then the default.
 *
 * @param provider the identity provider of that server
 * @param account the upstream user name: the login name after the route's rewrite
 * @param server the server's URL, for messages
 */
record OAuthTarget(OAuthProviderConfig provider, String account, String server) {

    OAuthTarget {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(server, "server");
    }

    /**
     * The target of {@code user} in {@code config}.
     *
     * @throws BadInputException if neither the server the user reads from nor the one the user
     *     sends through has {@code auth: oauth2}, or both have it with different providers
     */
    static OAuthTarget of(PopbridgeConfig config, String user) throws BadInputException {
        Optional<OAuthTarget> reading = route(config.upstreamRoutes(), user, config.upstream() == null ? null
                : new Server(config.upstream(), UserRewrite.keep()), RouteConfig::upstream)
                .flatMap(server -> server.target(user));
        Optional<OAuthTarget> sending = route(config.submissionRoutes(), user, config.submission() == null ? null
                : new Server(config.submission().server(), UserRewrite.keep()), r -> r.submission().server())
                .flatMap(server -> server.target(user));
        if (reading.isPresent() && sending.isPresent() && !sameProvider(reading.get().provider(), sending.get().provider())) {
            throw new BadInputException(user + " reads from " + reading.get().server() + " and sends through "
                    + sending.get().server() + ", whose oauth2 providers differ; one enrolment cannot serve both: "
                    + "give them the same provider");
        }
        return reading.or(() -> sending).orElseThrow(() -> new BadInputException("no server " + user
                + " is routed to has auth: oauth2 (neither the upstream nor the submission server); "
                + "there is nothing to enrol"));
    }

    /** One enrolment serves both only if both ask the same client at the same identity provider. */
    private static boolean sameProvider(OAuthProviderConfig a, OAuthProviderConfig b) {
        return a.type() == b.type() && a.tokenUrl().equals(b.tokenUrl()) && a.clientId().equals(b.clientId())
                && Objects.equals(a.tenant(), b.tenant());
    }

    private record Server(UpstreamConfig config, UserRewrite rewrite) {
        Optional<OAuthTarget> target(String user) {
            if (!config.oauth()) {
                return Optional.empty();
            }
            return Optional.of(new OAuthTarget(config.oauth2(), rewrite.apply(user), config.url()));
        }
    }

    private interface ServerOf {
        UpstreamConfig of(RouteConfig route);
    }

    /** The server that takes {@code user} among {@code routes}, else {@code topLevel}; empty if none. */
    private static Optional<Server> route(List<RouteConfig> routes, String user, Server topLevel, ServerOf serverOf) {
        RouteConfig byDomain = null;
        RouteConfig byDefault = null;
        for (RouteConfig route : routes) {
            UserPattern match = route.match();
            switch (match.kind()) {
                case USER -> {
                    if (match.matches(user)) {
                        return Optional.of(new Server(serverOf.of(route), route.rewrite()));
                    }
                }
                case DOMAIN -> {
                    if (match.matches(user)) {
                        byDomain = route;
                    }
                }
                case EVERYONE -> byDefault = route;
            }
        }
        RouteConfig chosen = byDomain != null ? byDomain : byDefault;
        if (chosen != null) {
            return Optional.of(new Server(serverOf.of(chosen), chosen.rewrite()));
        }
        return Optional.ofNullable(topLevel);
    }
}
