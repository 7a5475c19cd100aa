package org.popbridge.proxy.upstream.imap;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.popbridge.proxy.core.upstream.ProbeReport;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamDiagnosis;
import org.popbridge.proxy.core.upstream.UpstreamProblem;
import org.popbridge.proxy.upstream.imap.client.ImapLink;
import org.popbridge.proxy.upstream.imap.client.ImapLinkException;

/**
 * The opening of an IMAP session, made by the very {@link ImapLink} sessions use (greeting,
 * STARTTLS for {@code imap+starttls}, CAPABILITY), without the login; the link is then
 * aborted, which sends nothing more.
 */
public final class ImapProbe {

    private final UpstreamConnector connector;

    public ImapProbe(UpstreamConnector connector) {
        this.connector = connector;
    }

    /** Visits the server from {@code loop}; the report always comes, never an exception. */
    public CompletableFuture<ProbeReport> run(EventLoop loop) {
        CompletableFuture<ProbeReport> report = new CompletableFuture<>();
        loop.execute(() -> {
            ImapLink link = new ImapLink(connector, new ImapLink.Listener() { }, "probe");
            link.connect(loop).whenComplete((capabilities, failure) -> {
                if (failure == null) {
                    report.complete(ProbeReport.ok(connector.endpoint(), link.peerTls()));
                } else {
                    report.complete(ProbeReport.failed(connector.endpoint(), problem(Failures.unwrap(failure))));
                }
                link.abort();
            });
        });
        return report;
    }

    private UpstreamProblem problem(Throwable failure) {
        return UpstreamDiagnosis.of(connector.endpoint(), failure).orElseGet(() -> {
            if (!(failure instanceof ImapLinkException link)) {
                return UpstreamProblem.unexpectedReply(connector.endpoint(), "the opening",
                        failure.getClass().getSimpleName());
            }
            return switch (link.failure()) {
                case LOST, CLOSED -> UpstreamProblem.closed(connector.endpoint(), "the opening");
                case TIMED_OUT -> UpstreamProblem.noReply(connector.endpoint(), "the opening");
                default -> UpstreamProblem.unexpectedReply(connector.endpoint(), "the opening", link.getMessage());
            };
        });
    }
}
