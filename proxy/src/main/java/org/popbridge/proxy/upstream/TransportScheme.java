package org.popbridge.proxy.upstream;

/**
 * How a connection to an upstream is made, whatever protocol it then speaks: POP3's
 * {@link UpstreamScheme} and IMAP's schemes both answer it, so one route and one connector serve both.
 */
public interface TransportScheme {

    /** The URL scheme, such as {@code pop3s} or {@code imap+starttls}. */
    String scheme();

    int defaultPort();

    /** Whether the link is encrypted, at once or after STLS/STARTTLS. */
    boolean usesTls();

    /** Whether TLS starts with the first byte (RFC 8314), so the connector puts it in front at once. */
    boolean implicitTls();
}
