package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.popbridge.proxy.core.routing.UserPattern;
import org.popbridge.proxy.core.routing.UserRewrite;

/**
 * One entry of {@code routes:}: the users it takes ({@code match}), the upstream that serves
 * them, and how their login name is rewritten for it ({@code strip-domain} or {@code add-domain}).
 */
public record RouteConfig(UserPattern match, UpstreamConfig upstream, UserRewrite rewrite) {

    public RouteConfig {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(rewrite, "rewrite");
    }

    @JsonCreator
    public static RouteConfig of(
            @JsonProperty("match") String match,
            @JsonProperty("upstream") UpstreamConfig upstream,
            @JsonProperty("strip-domain") Boolean stripDomain,
            @JsonProperty("add-domain") String addDomain) {
        if (match == null) {
            throw new SettingException("match",
                    "a route needs match: a user name (alice@example.com), \"*@example.com\" or \"*\"");
        }
        UserPattern pattern;
        try {
            pattern = UserPattern.parse(match);
        } catch (IllegalArgumentException e) {
            throw new SettingException("match", e.getMessage());
        }
        if (upstream == null) {
            throw new SettingException("upstream", "a route needs an upstream, e.g. upstream: pop3s://mail.example.com");
        }
        UserRewrite rewrite = rewrite(stripDomain, addDomain);
        refuseNoOpRewrite(pattern, rewrite);
        return new RouteConfig(pattern, upstream, rewrite);
    }

    /** A rewrite that cannot change any name this route takes is a misunderstanding; say so. */
    private static void refuseNoOpRewrite(UserPattern pattern, UserRewrite rewrite) {
        boolean namesHaveDomain = pattern.kind() == UserPattern.Kind.DOMAIN
                || (pattern.kind() == UserPattern.Kind.USER && pattern.written().indexOf('@') >= 0);
        boolean namesLackDomain = pattern.kind() == UserPattern.Kind.USER && pattern.written().indexOf('@') < 0;
        if (rewrite instanceof UserRewrite.AddDomain && namesHaveDomain) {
            throw new SettingException("add-domain", "changes nothing here: '" + pattern
                    + "' takes only names that already have a domain");
        }
        if (rewrite instanceof UserRewrite.StripDomain && namesLackDomain) {
            throw new SettingException("strip-domain", "changes nothing here: '" + pattern + "' has no domain");
        }
    }

    private static UserRewrite rewrite(Boolean stripDomain, String addDomain) {
        boolean strip = stripDomain != null && stripDomain;
        if (strip && addDomain != null) {
            throw new SettingException("add-domain", "give strip-domain or add-domain, not both");
        }
        if (strip) {
            return UserRewrite.stripDomain();
        }
        if (addDomain == null) {
            return UserRewrite.keep();
        }
        try {
            return UserRewrite.addDomain(addDomain.strip());
        } catch (IllegalArgumentException e) {
            throw new SettingException("add-domain", e.getMessage());
        }
    }

    /** Whether this route takes every user, as the top-level upstream does. */
    public boolean isDefault() {
        return match.kind() == UserPattern.Kind.EVERYONE;
    }

    /**
     * Checks what no single route can: two routes for the same users (compared without case),
     * or two defaults ({@code *} here and the top-level upstream), either of which would leave
     * one of them unused without a word.
     */
    static void checkTogether(List<RouteConfig> routes, boolean topLevelUpstream) {
        Map<String, Integer> seen = new HashMap<>();
        for (int index = 0; index < routes.size(); index++) {
            RouteConfig route = routes.get(index);
            String key = route.match().kind() + " " + route.match().key();
            Integer earlier = seen.putIfAbsent(key, index);
            if (earlier != null) {
                throw SettingException.at("routes", index, "match", "'" + route.match()
                        + "' is already routed by routes[" + earlier + "] ('" + routes.get(earlier).match() + "')");
            }
            if (route.isDefault() && topLevelUpstream) {
                throw SettingException.at("routes", index, "match", "two default routes: this \"*\" route and "
                        + "the top-level upstream both take every user; remove one");
            }
        }
    }
}
