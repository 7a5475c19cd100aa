package org.popbridge.proxy.core.upstream;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.popbridge.proxy.core.session.LogText;

/**
 * Why popbridge cannot reach or secure its link to an upstream, in one sentence an operator can
 * act on: what happened at which host:port, and the fix. The one place this wording lives: the
 * session log, the start-up warning and {@code check-config --probe} all say it the same way.
 *
 * @param kind what went wrong
 * @param sentence the sentence for the log or the terminal, with the host:port and the fix
 */
public record UpstreamProblem(Kind kind, String sentence) {

    /** What went wrong reaching an upstream or starting TLS with it. */
    public enum Kind {
        /** Nothing listens at the port (TCP RST). */
        CONNECTION_REFUSED,
        /** The connection was not accepted within connect-timeout. */
        CONNECT_TIMED_OUT,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** The network has no route to the host, or another socket error before any byte. */
        UNREACHABLE,
        /** popbridge spoke TLS and the server answered in clear text: a plain port behind an implicit-TLS URL. */
        TLS_ON_PLAIN_PORT,
        /** popbridge spoke in clear and the server said nothing: most likely a TLS port behind a plain URL. */
        PLAIN_ON_TLS_PORT,
        /** The TLS handshake did not finish within handshake-timeout. */
        TLS_HANDSHAKE_TIMED_OUT,
        /** The server's certificate chain does not lead to a trusted CA. */
        UNTRUSTED_CERTIFICATE,
        /** The certificate is trusted but is not for the host name popbridge connects to. */
        NAME_MISMATCH,
        /** A certificate of the chain has expired. */
        EXPIRED_CERTIFICATE,
        /** A certificate of the chain is not valid yet: usually a clock that is wrong. */
        CERTIFICATE_NOT_YET_VALID,
        /** Another TLS failure: no protocol or cipher in common, an alert from the server. */
        TLS_FAILED,
        /** The URL asks for STLS or STARTTLS and the server does not offer it or refuses it. */
        TLS_NOT_OFFERED,
        /** The server answered a step of the opening with something that is not the protocol's success. */
        UNEXPECTED_REPLY,
        /** The server did not answer a step of the opening within reply-timeout. */
        NO_REPLY,
        /** The server closed the connection during the opening. */
        CLOSED
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** TCP refused: nothing listens there. */
    public static UpstreamProblem connectionRefused(UpstreamEndpoint at) {
        return new UpstreamProblem(Kind.CONNECTION_REFUSED, hostPort(at) + " refused the connection: nothing "
                + "listens on that port; check the host and port in " + at.url() + " and that the server runs");
    }

    public static UpstreamProblem connectTimedOut(UpstreamEndpoint at) {
        return new UpstreamProblem(Kind.CONNECT_TIMED_OUT, hostPort(at) + " did not accept the connection within "
                + duration(at.connectTimeout()) + ": the host is down or a firewall drops the packets; check the "
                + "host, the port and the firewalls on the way, or raise connect-timeout");
    }

    public static UpstreamProblem unknownHost(UpstreamEndpoint at) {
        return new UpstreamProblem(Kind.UNKNOWN_HOST, hostPort(at) + " cannot be reached: " + at.host()
                + " is not a known host name; check the host in " + at.url() + " and this machine's DNS");
    }

    public static UpstreamProblem unreachable(UpstreamEndpoint at, String why) {
        return new UpstreamProblem(Kind.UNREACHABLE, hostPort(at) + " cannot be reached (" + LogText.of(why)
                + "); check the network route from this machine to it");
    }

    public static UpstreamProblem tlsOnPlainPort(UpstreamEndpoint at) {
        return new UpstreamProblem(Kind.TLS_ON_PLAIN_PORT, hostPort(at) + " answered in clear text where "
                + at.url() + " expects TLS from the first byte: it is a plain port; use "
                + upgrading(at) + " to start TLS with " + upgradeCommand(at) + ", or the server's TLS port ("
                + implicit(at).scheme() + " is usually " + implicit(at).defaultPort() + ")");
    }

    public static UpstreamProblem plainOnTlsPort(UpstreamEndpoint at) {
        return new UpstreamProblem(Kind.PLAIN_ON_TLS_PORT, hostPort(at) + " sent no greeting within "
                + duration(at.replyTimeout()) + ": it is most likely a TLS port waiting for a TLS handshake; use "
                + implicit(at).scheme() + "://" + hostPort(at) + " if it is");
    }

    public static UpstreamProblem tlsHandshakeTimedOut(UpstreamEndpoint at) {
        return new UpstreamProblem(Kind.TLS_HANDSHAKE_TIMED_OUT, hostPort(at) + " did not finish the TLS handshake "
                + "within " + duration(at.handshakeTimeout()) + ": if it is a plain port, use " + upgrading(at)
                + "; if it is slow, raise handshake-timeout");
    }

    public static UpstreamProblem untrustedCertificate(UpstreamEndpoint at, X509Certificate leaf) {
        return new UpstreamProblem(Kind.UNTRUSTED_CERTIFICATE, hostPort(at) + " presented a certificate for "
                + names(leaf) + " issued by " + LogText.of(leaf.getIssuerX500Principal().getName())
                + ", which no trusted CA signed: add its CA with --upstream-ca or ca: in the upstream");
    }

    public static UpstreamProblem nameMismatch(UpstreamEndpoint at, X509Certificate leaf) {
        return new UpstreamProblem(Kind.NAME_MISMATCH, hostPort(at) + " presented a certificate for "
                + names(leaf) + ", not for " + at.host() + ": put one of those names in " + at.url()
                + ", or give the server a certificate for " + at.host());
    }

    /** {@code expired} is the certificate of the chain that expired, usually the server's own. */
    public static UpstreamProblem expiredCertificate(UpstreamEndpoint at, X509Certificate expired) {
        return new UpstreamProblem(Kind.EXPIRED_CERTIFICATE, hostPort(at) + " presented a certificate for "
                + names(expired) + " that expired on " + DATE.format(expired.getNotAfter().toInstant())
                + ": renew the server's certificate");
    }

    public static UpstreamProblem certificateNotYetValid(UpstreamEndpoint at, X509Certificate early) {
        return new UpstreamProblem(Kind.CERTIFICATE_NOT_YET_VALID, hostPort(at) + " presented a certificate for "
                + names(early) + " that is valid only from " + DATE.format(early.getNotBefore().toInstant())
                + ": check the clocks of this machine and the server");
    }

    public static UpstreamProblem tlsFailed(UpstreamEndpoint at, String why) {
        return new UpstreamProblem(Kind.TLS_FAILED, "TLS with " + hostPort(at) + " failed (" + LogText.of(why)
                + "): popbridge needs TLS 1.2 or 1.3 with a current cipher; check the server's TLS settings");
    }

    /** The URL says STLS or STARTTLS and the server does not offer it, or refused it. */
    public static UpstreamProblem tlsNotOffered(UpstreamEndpoint at) {
        UpstreamScheme tls = implicit(at);
        return new UpstreamProblem(Kind.TLS_NOT_OFFERED, hostPort(at) + " does not offer " + upgradeCommand(at)
                + ", which " + at.url() + " requires: use " + tls.scheme() + "://" + at.host() + ":"
                + tls.defaultPort() + " if the server has implicit TLS, or " + plain(at).scheme()
                + ":// only on a trusted network");
    }

    /** {@code step} is the step of the opening, such as "the greeting" or "EHLO"; {@code reply} what came. */
    public static UpstreamProblem unexpectedReply(UpstreamEndpoint at, String step, String reply) {
        return new UpstreamProblem(Kind.UNEXPECTED_REPLY, hostPort(at) + " answered " + step + " with \""
                + LogText.of(reply) + "\": check that it is a " + at.scheme().protocol() + " server and that "
                + at.url() + " names the right port, and the server's logs");
    }

    public static UpstreamProblem noReply(UpstreamEndpoint at, String step) {
        return new UpstreamProblem(Kind.NO_REPLY, hostPort(at) + " did not answer " + step + " within "
                + duration(at.replyTimeout()) + ": check the server's logs, or raise reply-timeout");
    }

    public static UpstreamProblem closed(UpstreamEndpoint at, String step) {
        return new UpstreamProblem(Kind.CLOSED, hostPort(at) + " closed the connection during " + step
                + ": check the server's logs; it may refuse connections from this machine");
    }

    /** The server as the sentences name it: host:port, an IPv6 address in brackets. */
    public static String hostPort(UpstreamEndpoint at) {
        return (at.host().contains(":") ? "[" + at.host() + "]" : at.host()) + ":" + at.port();
    }

    /** The names a certificate is for: its DNS names and addresses, else its subject. */
    static String names(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = cert.getSubjectAlternativeNames();
            for (List<?> entry : entries == null ? List.<List<?>>of() : entries) {
                int type = (Integer) entry.get(0);
                // 2 is dNSName, 7 iPAddress (RFC 5280 section 4.2.1.6).
                if (type == 2 || type == 7) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension names nothing; the subject below still does.
        }
        String shown = names.isEmpty() ? cert.getSubjectX500Principal().getName() : String.join(", ", names);
        return LogText.of(shown).toString();
    }

    /** The date a certificate ends, as the sentences write dates. */
    static String date(Instant instant) {
        return DATE.format(instant);
    }

    private static String upgrading(UpstreamEndpoint at) {
        return upgrade(at).scheme() + "://" + hostPort(at);
    }

    private static String upgradeCommand(UpstreamEndpoint at) {
        return at.scheme().protocol() == UpstreamScheme.Protocol.POP3 ? "STLS" : "STARTTLS";
    }

    private static UpstreamScheme implicit(UpstreamEndpoint at) {
        return sibling(at, true, true);
    }

    private static UpstreamScheme upgrade(UpstreamEndpoint at) {
        return sibling(at, true, false);
    }

    private static UpstreamScheme plain(UpstreamEndpoint at) {
        return sibling(at, false, false);
    }

    /** The scheme of the same protocol that starts TLS as asked. */
    private static UpstreamScheme sibling(UpstreamEndpoint at, boolean tls, boolean implicitTls) {
        return Arrays.stream(UpstreamScheme.values())
                .filter(s -> s.protocol() == at.scheme().protocol() && s.usesTls() == tls && s.implicitTls() == implicitTls)
                .findFirst().orElseThrow();
    }

    private static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
