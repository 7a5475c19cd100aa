package org.popbridge.bench;

/**
 * Where the benchmark connects: Dovecot directly or popbridge, plain or implicit TLS.
 *
 * @param name short name used in results, e.g. {@code direct-tls}
 * @param host always a loopback address here
 * @param port TCP port
 * @param tls implicit TLS (POP3S, RFC 8314) rather than plain POP3
 */
record Endpoint(String name, String host, int port, boolean tls) {

    /** The name the server certificate is checked against (the test CA signs localhost). */
    static final String TLS_NAME = "localhost";

    boolean isProxy() {
        return name.startsWith("proxy");
    }
}
