package org.popbridge.proxy.upstream.imap.client;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.popbridge.proxy.core.session.SessionLogScope;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.core.upstream.UpstreamProblemException;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens between connecting and the first command the session sends: the greeting
 * (RFC 9051 section 7.1), refused when BYE, or PREAUTH where STARTTLS is required;
 * STARTTLS (section 6.2.1) for {@link UpstreamScheme#IMAP_STARTTLS}, dropping whatever
 * arrived before the TLS handshake; and the capabilities, asked for when the greeting did
 * not list them and again after TLS. Its {@link #ready()} completes with them.
 */
final class OpeningHandshake {

    private static final Logger log = LoggerFactory.getLogger(OpeningHandshake.class);

    private final ImapLink link;
    private final UpstreamEndpoint route;
    private final String sessionId;
    private final CompletableFuture<Capabilities> ready = new CompletableFuture<>();
    /** After STARTTLS's OK until the handshake: anything decoded is from before TLS and not trusted. */
    private boolean discardUntilTls;
    private boolean preauthenticated;

    OpeningHandshake(ImapLink link, UpstreamEndpoint route, String sessionId) {
        this.link = link;
        this.route = route;
        this.sessionId = sessionId;
    }

    /** Completes with the trusted capabilities once commands may be sent; fails if the link fails first. */
    CompletableFuture<Capabilities> ready() {
        return ready;
    }

    /** True when the server greeted with PREAUTH: it authenticated the connection itself. */
    boolean preauthenticated() {
        return preauthenticated;
    }

    /** True between STARTTLS's OK and the end of the TLS handshake: responses then are dropped, commands wait. */
    boolean discardingUntilTls() {
        return discardUntilTls;
    }

    /** The link failed: the opening, if still under way, fails with it. */
    void failed(ImapLinkException cause) {
        ready.completeExceptionally(cause);
    }

    /** The server's first response (RFC 9051 section 7.1): OK, PREAUTH or BYE. */
    void onGreeting(StatusResponse greeting) {
        greeting.code("CAPABILITY").ifPresent(code -> link.announced(code.capabilities()));
        UpstreamScheme scheme = route.scheme();
        if (greeting.condition() == StatusResponse.Condition.BYE) {
            link.fail(ImapFailure.UNAVAILABLE, "upstream greeted with BYE: " + greeting.text(), null);
            return;
        }
        if (greeting.condition() == StatusResponse.Condition.PREAUTH) {
            if (scheme == UpstreamScheme.IMAP_STARTTLS) {
                // STARTTLS is impossible once authenticated (RFC 9051 section 6.2.1): never go on in clear text.
                link.fail(ImapFailure.UNAVAILABLE, "upstream sent PREAUTH where STARTTLS is required", null);
                return;
            }
            preauthenticated = true;
            link.enter(ImapLink.Phase.AUTHENTICATED);
        } else if (greeting.condition() == StatusResponse.Condition.OK) {
            link.enter(ImapLink.Phase.NOT_AUTHENTICATED);
        } else {
            link.fail(ImapFailure.PROTOCOL, "greeting with " + greeting.condition(), null);
            return;
        }
        boolean greetingListed = greeting.code("CAPABILITY").isPresent();
        CompletableFuture<Capabilities> known = greetingListed
                ? CompletableFuture.completedFuture(link.capabilities()) : link.requestCapabilities(false);
        if (scheme == UpstreamScheme.IMAP_STARTTLS) {
            known = known.thenCompose(this::startTls);
        }
        known.whenComplete((caps, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                link.fail(ImapFailure.UNAVAILABLE, cause instanceof ImapLinkException linkFailure
                        ? linkFailure.getMessage() : "upstream handshake failed", cause);
            } else {
                log.debug("[{}] upstream ready, capabilities {}", sessionId, LogText.of(caps.names()));
                ready.complete(caps);
            }
        });
        link.sendNext();
    }

    /** The sentence for a server that lacks or refuses STARTTLS: the session log and the probe say it. */
    private UpstreamProblemException tlsNotOffered() {
        return new UpstreamProblemException(UpstreamProblem.tlsNotOffered(route));
    }

    /** STARTTLS (RFC 9051 section 6.2.1), then the capabilities again: those from before TLS are not trusted. */
    private CompletableFuture<Capabilities> startTls(Capabilities before) {
        if (!before.has("STARTTLS")) {
            throw new ImapLinkException(ImapFailure.UNAVAILABLE, "upstream does not offer STARTTLS; "
                    + "refusing to continue in clear text", tlsNotOffered());
        }
        CompletableFuture<Capabilities> secured = new CompletableFuture<>();
        StatusExchange exchange = new StatusExchange() {
            @Override
            public void onTagged(StatusResponse status) {
                if (status.isOk()) {
                    // Bytes after the OK and before the handshake may be injected: drop them (invariant 7).
                    discardUntilTls = true;
                    link.decoder().discardBufferedInput();
                    link.enter(ImapLink.Phase.STARTING_TLS);
                }
                super.onTagged(status);
            }
        };
        link.enqueue((tag, syntax) -> ImapCommand.builder(tag, "STARTTLS", syntax).build(), exchange, true);
        exchange.result().whenComplete((status, failure) -> {
            if (failure != null) {
                secured.completeExceptionally(failure);
                return;
            }
            if (!status.isOk()) {
                secured.completeExceptionally(new ImapLinkException(ImapFailure.UNAVAILABLE,
                        "upstream refused STARTTLS: " + status.text(), tlsNotOffered()));
                return;
            }
            Channel channel = link.channel();
            SslHandler tls = route.newTlsHandler(channel.alloc());
            SessionLogScope.addFirst(channel.pipeline(), UpstreamConnector.TLS_HANDLER, tls);
            tls.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    secured.completeExceptionally(new ImapLinkException(ImapFailure.UNAVAILABLE,
                            "TLS handshake with the upstream failed", done.cause()));
                    return;
                }
                discardUntilTls = false;
                link.enter(ImapLink.Phase.NOT_AUTHENTICATED);
                link.announced(new Capabilities(Set.of()));
                link.requestCapabilities(true).whenComplete((caps, error) -> {
                    if (error != null) {
                        secured.completeExceptionally(error);
                    } else {
                        secured.complete(caps);
                    }
                });
            });
        });
        return secured;
    }
}
