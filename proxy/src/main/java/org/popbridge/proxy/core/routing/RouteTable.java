package org.popbridge.proxy.core.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which upstream serves which user: an exact name first, then the name's domain, then the
 * default route, whatever order the config lists them in; without a default, a user no route
 * takes has no upstream and is refused at login.
 */
public final class RouteTable {

    private final Map<String, Route> byName = new HashMap<>();
    private final Map<String, Route> byDomain = new HashMap<>();
    private final Route defaultRoute;
    private final List<Route> routes;

    /**
     * A table of {@code routes} (each for one user or one domain) and {@code defaultRoute}
     * (matching {@code *}), which may be null.
     *
     * @throws IllegalArgumentException if two routes take the same users, a route in the list is
     *     a {@code *} route, the default is not, or there are no routes at all
     */
    public RouteTable(List<Route> routes, Route defaultRoute) {
        List<Route> all = new ArrayList<>();
        for (Route route : routes) {
            Map<String, Route> index = switch (route.match().kind()) {
                case USER -> byName;
                case DOMAIN -> byDomain;
                case EVERYONE -> throw new IllegalArgumentException(
                        "the * route is the default route, not one of the routes by user");
            };
            Route earlier = index.putIfAbsent(route.match().key(), route);
            if (earlier != null) {
                throw new IllegalArgumentException("'" + route.match() + "' takes the same users as '"
                        + earlier.match() + "'");
            }
            all.add(route);
        }
        if (defaultRoute != null) {
            if (defaultRoute.match().kind() != UserPattern.Kind.EVERYONE) {
                throw new IllegalArgumentException("the default route must match *, not '" + defaultRoute.match() + "'");
            }
            all.add(defaultRoute);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a route table needs at least one route");
        }
        this.defaultRoute = defaultRoute;
        this.routes = Collections.unmodifiableList(all);
    }

    /** A table with only a default route: every user goes to {@code route}'s upstream. */
    public static RouteTable single(Route route) {
        return new RouteTable(List.of(), Objects.requireNonNull(route, "route"));
    }

    /** The route for {@code user}, a login name as the client sent it; empty if no route takes it. */
    public Optional<Route> forUser(String user) {
        Route exact = byName.get(user.toLowerCase(Locale.ROOT));
        if (exact != null) {
            return Optional.of(exact);
        }
        String domain = UserPattern.domainOf(user);
        Route domainRoute = domain == null ? null : byDomain.get(domain.toLowerCase(Locale.ROOT));
        return Optional.ofNullable(domainRoute != null ? domainRoute : defaultRoute);
    }

    /**
     * Whether the upstream (or the name sent to it) depends on the user; when not, a session
     * may connect upstream before the client has said who it is, and use {@link #only()}.
     */
    public boolean byUser() {
        return defaultRoute == null || routes.size() > 1 || !(defaultRoute.rewrite() instanceof UserRewrite.Keep);
    }

    /**
     * The one route every user takes.
     *
     * @throws IllegalStateException if the route depends on the user ({@link #byUser()})
     */
    public Route only() {
        if (byUser()) {
            throw new IllegalStateException("the route depends on the user; use forUser");
        }
        return defaultRoute;
    }

    /** The default route, for users no other route takes; empty if those users are refused. */
    public Optional<Route> defaultRoute() {
        return Optional.ofNullable(defaultRoute);
    }

    /** Every route, those by user or domain in the order given, then the default; for logs. */
    public List<Route> routes() {
        return routes;
    }
}
