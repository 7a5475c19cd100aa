package org.popbridge.proxy.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.SubmissionConfig;
import org.popbridge.proxy.config.SubmissionSettings;
import org.popbridge.proxy.core.routing.Route;
import org.popbridge.proxy.core.routing.RouteTable;
import org.popbridge.proxy.core.routing.UserPattern;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.upstream.SubmissionOptions;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.smtp.session.SmtpUpstream;
import org.popbridge.proxy.upstream.smtp.RoutedSubmission;

/**
 * Builds where SMTP sessions send mail from the config: the top-level submission server, or,
 * when routes name submission servers, a route table of them with the top-level one as the
 * default. One connector per distinct server, as for reading.
 */
final class Submissions {

    private Submissions() {
    }

    /** The sessions' submission servers; null when the config has none (no SMTP listener then). */
    static SmtpUpstream.Factory factory(PopbridgeConfig config, UpstreamAuths auths, UpstreamTlsContexts tls)
            throws ConfigException {
        List<RouteConfig> routed = config.submissionRoutes();
        if (config.submission() == null && routed.isEmpty()) {
            return null;
        }
        Map<String, UpstreamConnector> connectors = new HashMap<>();
        Map<UpstreamConnector, SubmissionOptions> options = new HashMap<>();
        List<Route> routes = new ArrayList<>();
        Route defaultRoute = config.submission() == null ? null
                : new Route(UserPattern.everyone(), connector(config.submission(), connectors, options, tls),
                        UserRewrite.keep(), null, auths.of(config.submission().server()));
        for (RouteConfig entry : routed) {
            Route route = new Route(entry.match(), connector(entry.submission(), connectors, options, tls),
                    entry.rewrite(), null, auths.of(entry.submission().server()));
            if (entry.isDefault()) {
                defaultRoute = route;
            } else {
                routes.add(route);
            }
        }
        // Even without routes, the one server is reached through a router: it asks the authenticator first.
        return RoutedSubmission.factory(new RouteTable(routes, defaultRoute), route -> options.get(route.connector()));
    }

    private static UpstreamConnector connector(SubmissionConfig submission, Map<String, UpstreamConnector> connectors,
                                               Map<UpstreamConnector, SubmissionOptions> options,
                                               UpstreamTlsContexts tls)
            throws ConfigException {
        // Settings are part of the key: one server logged in to two ways needs two option sets.
        String key = submission.url() + "|" + submission.ca() + "|" + submission.insecure() + "|" + submission.settings()
                + "|" + submission.server().forwarding();
        UpstreamConnector connector = connectors.get(key);
        if (connector == null) {
            connector = new UpstreamConnector(RouteTables.upstreamRoute(submission.server(), tls));
            connectors.put(key, connector);
            options.put(connector, new SubmissionOptions(
                    submission.authMechanism() == SubmissionSettings.AuthMechanism.LOGIN, submission.xclient()));
        }
        return connector;
    }

    /** The name popbridge greets SMTP clients with: this host's, or "popbridge" if it has none. */
    static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "popbridge" : name;
        } catch (UnknownHostException e) {
            return "popbridge";
        }
    }
}
