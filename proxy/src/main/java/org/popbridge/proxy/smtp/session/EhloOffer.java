package org.popbridge.proxy.smtp.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The EHLO reply popbridge gives its clients (RFC 5321 section 4.1.1.1), derived from what the
 * submission server announced: the extensions popbridge can pass through, SIZE as the smaller of
 * the server's and the local limit, STARTTLS and AUTH as this connection allows. Never the
 * server's own STARTTLS, AUTH or XCLIENT, which are popbridge's business; never CHUNKING,
 * which this version does not relay.
 */
final class EhloOffer {

    /** Extensions offered when the server has them: popbridge relays their parameters untouched. */
    private static final List<String> PASSED_ON = List.of("8BITMIME", "SMTPUTF8", "DSN");

    private EhloOffer() {
    }

    /**
     * @param server what the server announced at the last login; {@link ServerExtensions#UNKNOWN}
     *     before any, and then only what popbridge itself guarantees is offered
     */
    static List<String> lines(String greeting, ServerExtensions server, long maxMessageSize, boolean startTls,
                              boolean auth) {
        List<String> lines = new ArrayList<>();
        lines.add(greeting);
        // popbridge queues pipelined commands itself and answers them in order (RFC 2920).
        lines.add("PIPELINING");
        lines.add("SIZE " + size(server, maxMessageSize));
        for (String keyword : PASSED_ON) {
            if (server.has(keyword)) {
                lines.add(server.byKeyword().get(keyword).isEmpty() ? keyword
                        : keyword + " " + server.byKeyword().get(keyword));
            }
        }
        // Enhanced codes are popbridge's own in its replies, and passed on in the server's.
        lines.add("ENHANCEDSTATUSCODES");
        if (startTls) {
            lines.add("STARTTLS");
        }
        if (auth) {
            lines.add("AUTH PLAIN LOGIN");
        }
        return lines;
    }

    /** The smaller of the two limits; a server's SIZE 0 (or none) means it sets no limit of its own. */
    static long size(ServerExtensions server, long maxMessageSize) {
        long serverSize = server.size().orElse(0);
        return serverSize > 0 ? Math.min(serverSize, maxMessageSize) : maxMessageSize;
    }
}
