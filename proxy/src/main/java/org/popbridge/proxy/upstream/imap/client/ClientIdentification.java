package org.popbridge.proxy.upstream.imap.client;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an IMAP server where the client really is, before the login: the ID command (RFC 2971)
 * with the fields Dovecot takes from the peers in its login_trusted_networks
 * ({@code x-originating-ip}, {@code x-originating-port}, {@code x-connected-ip},
 * {@code x-connected-port}), so the server logs, limits and authenticates the client rather
 * than popbridge. Sent only where the server offers ID; its answer changes nothing here.
 */
final class ClientIdentification {

    private static final Logger log = LoggerFactory.getLogger(ClientIdentification.class);

    private ClientIdentification() {
    }

    /** Queues ID on {@code link} if its upstream is to be told and offers ID; else says once why not. */
    static void send(ImapLink link, UpstreamConnector connector, InetSocketAddress client, String sessionId) {
        if (!connector.endpoint().forwarding().inProtocol() || client == null || client.getAddress() == null) {
            return;
        }
        String url = connector.endpoint().url();
        if (!link.capabilities().has("ID")) {
            connector.forwardingWarning().report(log, sessionId, url,
                    "offers no ID (RFC 2971) before the login (Dovecot: login_trusted_networks)");
            return;
        }
        String fields = fields(client, link.channel() == null ? null : link.channel().remoteAddress());
        StatusExchange exchange = new StatusExchange();
        link.enqueue((tag, syntax) -> ImapCommand.builder(tag, "ID", syntax).token(fields).build(), exchange, false);
        exchange.result().whenComplete((status, failure) -> {
            if (failure == null && !status.isOk()) {
                log.warn("[{}] {} answered ID with {}: {}", sessionId, url, status.condition(), status.text());
            }
        });
    }

    /**
     * The parameter list: the client's address and port, and the server's own as popbridge
     * reached it, as a PROXY header's destination is. Addresses and numbers need no escaping.
     */
    static String fields(InetSocketAddress client, SocketAddress server) {
        StringBuilder list = new StringBuilder("(");
        field(list, "x-originating-ip", NetUtil.toAddressString(client.getAddress()));
        field(list, "x-originating-port", Integer.toString(client.getPort()));
        if (server instanceof InetSocketAddress connected && connected.getAddress() != null) {
            field(list, "x-connected-ip", NetUtil.toAddressString(connected.getAddress()));
            field(list, "x-connected-port", Integer.toString(connected.getPort()));
        }
        return list.append(')').toString();
    }

    private static void field(StringBuilder list, String name, String value) {
        if (list.length() > 1) {
            list.append(' ');
        }
        list.append('"').append(name).append("\" \"").append(value).append('"');
    }
}
