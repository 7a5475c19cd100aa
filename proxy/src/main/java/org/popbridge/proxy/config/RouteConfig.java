package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.popbridge.proxy.core.routing.UserPattern;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/**
 * One entry of {@code routes:}: the users it takes ({@code match}), the upstream their mail is
 * read from, the submission server their mail is sent through, and how their login name is
 * rewritten for both ({@code strip-domain} or {@code add-domain}).
 *
 * <p>A route has an upstream, a submission server, or both. For the half it lacks, its users
 * are served as users no route takes: by the top-level {@code upstream} or {@code submission},
 * or refused if there is none. So the POP3 side routes by the routes whose {@link #upstream()}
 * is set, the SMTP side by those whose {@link #submission()} is set.
 *
 * @param upstream the POP3 or IMAP server these users read from; null if the route sets only a submission server
 * @param submission the SMTP server these users send through; null if the route sets only an upstream
 */
public record RouteConfig(UserPattern match, UpstreamConfig upstream, UserRewrite rewrite, SubmissionConfig submission) {

    public RouteConfig {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(rewrite, "rewrite");
        if (upstream == null && submission == null) {
            throw new IllegalArgumentException("a route needs an upstream, a submission server, or both");
        }
        if (upstream != null && upstream.scheme().protocol() == UpstreamScheme.Protocol.SMTP) {
            throw new IllegalArgumentException("a route's upstream is read from, not an SMTP server: " + upstream.url());
        }
    }

    /** A route for reading mail only. */
    public RouteConfig(UserPattern match, UpstreamConfig upstream, UserRewrite rewrite) {
        this(match, Objects.requireNonNull(upstream, "upstream"), rewrite, null);
    }

    @JsonCreator
    public static RouteConfig of(
            @JsonProperty("match") String match,
            @JsonProperty("upstream") UpstreamConfig upstream,
            @JsonProperty("submission") SubmissionConfig submission,
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
        if (upstream == null && submission == null) {
            throw new SettingException("upstream", "a route needs an upstream, e.g. upstream: pop3s://mail.example.com, "
                    + "a submission server, e.g. submission: smtps://smtp.example.com, or both");
        }
        UserRewrite rewrite = rewrite(stripDomain, addDomain);
        refuseNoOpRewrite(pattern, rewrite);
        return new RouteConfig(pattern, upstream, rewrite, submission);
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

    /** Whether this route takes every user, as the top-level upstream and submission server do. */
    public boolean isDefault() {
        return match.kind() == UserPattern.Kind.EVERYONE;
    }

    /** Whether this route says where its users' mail is read from. */
    public boolean hasUpstream() {
        return upstream != null;
    }

    /** Whether this route says where its users' mail is sent through. */
    public boolean hasSubmission() {
        return submission != null;
    }

    /**
     * Checks what no single route can: two routes for the same users (compared without case),
     * or two defaults ({@code *} here and the top-level upstream or submission server), either of
     * which would leave one of them unused without a word.
     */
    static void checkTogether(List<RouteConfig> routes, boolean topLevelUpstream, boolean topLevelSubmission) {
        Map<String, Integer> seen = new HashMap<>();
        for (int index = 0; index < routes.size(); index++) {
            RouteConfig route = routes.get(index);
            String key = route.match().kind() + " " + route.match().key();
            Integer earlier = seen.putIfAbsent(key, index);
            if (earlier != null) {
                throw SettingException.at("routes", index, "match", "'" + route.match()
                        + "' is already routed by routes[" + earlier + "] ('" + routes.get(earlier).match() + "')");
            }
            if (route.isDefault() && route.hasUpstream() && topLevelUpstream) {
                throw SettingException.at("routes", index, "match", "two default routes: this \"*\" route and "
                        + "the top-level upstream both take every user; remove one");
            }
            if (route.isDefault() && route.hasSubmission() && topLevelSubmission) {
                throw SettingException.at("routes", index, "match", "two default routes: this \"*\" route's "
                        + "submission and the top-level submission both take every user; remove one");
            }
        }
    }
}
