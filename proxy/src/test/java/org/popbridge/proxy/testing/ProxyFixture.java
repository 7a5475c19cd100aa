package org.popbridge.proxy.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TransportConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.transport.Transport;
import org.popbridge.proxy.core.upstream.Enrolment;
import org.popbridge.proxy.server.OAuthAuthenticators;
import org.popbridge.proxy.server.ProxyServer;

/** popbridge running in-process on OS-chosen ports, with a plain and an implicit-TLS listener. */
public final class ProxyFixture implements AutoCloseable {

    private final ProxyServer server;
    private final Path stateDir;

    private ProxyFixture(ProxyServer server, Path stateDir) {
        this.server = server;
        this.stateDir = stateDir;
    }

    /** Listeners pop3://127.0.0.1:0 and pop3s://127.0.0.1:0 in front of a plain upstream on loopback. */
    public static ProxyFixture inFrontOf(int upstreamPort, Path stateDir) throws Exception {
        return start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0"), ListenerConfig.parse("pop3s://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstreamPort))
                .withStateDir(stateDir));
    }

    /** As {@link #inFrontOf}, with the sockets on {@code transport}. */
    public static ProxyFixture inFrontOf(int upstreamPort, Path stateDir, Transport transport) throws Exception {
        return start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0"), ListenerConfig.parse("pop3s://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstreamPort))
                .withStateDir(stateDir)
                .withTransport(new TransportConfig(TransportConfig.Type.valueOf(transport.name()), Duration.ZERO)));
    }

    /**
     * As {@link #inFrontOf}, with {@code apop: true}: sessions connect upstream as soon as a
     * client does, and the greeting, CAPA and APOP before login are the server's.
     */
    public static ProxyFixture inFrontOfWithApop(int upstreamPort, Path stateDir) throws Exception {
        return inFrontOf(UpstreamConfig.parse("pop3://127.0.0.1:" + upstreamPort).withApop(true), stateDir);
    }

    /** As {@link #inFrontOf}, serving POP3 from a plain IMAP upstream on loopback (its INBOX, default settings). */
    public static ProxyFixture inFrontOfImap(int imapPort, Path stateDir) throws Exception {
        return inFrontOf(UpstreamConfig.parse("imap://127.0.0.1:" + imapPort), stateDir);
    }

    /** The two listeners in front of the upstream given, with whatever settings it carries. */
    public static ProxyFixture inFrontOf(UpstreamConfig upstream, Path stateDir) throws Exception {
        return start(PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0"), ListenerConfig.parse("pop3s://127.0.0.1:0")))
                .withUpstream(upstream)
                .withStateDir(stateDir));
    }

    /** Without the start-up visit to the upstreams: scripted servers here count every connection. */
    public static ProxyFixture start(PopbridgeConfig config) throws Exception {
        return new ProxyFixture(ProxyServer.start(config.withWarmUp(false), ProxyServer.UpstreamCheck.OFF), config.stateDir());
    }

    /** With the listeners and servers of {@code config}; auth: oauth2 servers log users in through {@code oauth}. */
    public static ProxyFixture start(PopbridgeConfig config, OAuthAuthenticators oauth)
            throws Exception {
        return new ProxyFixture(ProxyServer.start(config.withWarmUp(false), ProxyServer.UpstreamCheck.OFF, oauth,
                new Enrolment("/etc/popbridge/popbridge.yaml")), config.stateDir());
    }

    /** As {@link #inFrontOf}, with message filters on. */
    public static ProxyFixture filtering(int upstreamPort, Path stateDir, MessageFiltering filtering) throws Exception {
        PopbridgeConfig config = PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0"), ListenerConfig.parse("pop3s://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("pop3://127.0.0.1:" + upstreamPort))
                .withStateDir(stateDir);
        return new ProxyFixture(ProxyServer.start(config.withWarmUp(false), filtering, ProxyServer.UpstreamCheck.OFF), stateDir);
    }

    /** With the listeners and upstream of {@code config}, and message filters on. */
    public static ProxyFixture start(PopbridgeConfig config, MessageFiltering filtering) throws Exception {
        return new ProxyFixture(ProxyServer.start(config.withWarmUp(false), filtering, ProxyServer.UpstreamCheck.OFF), config.stateDir());
    }

    /** As {@link #inFrontOfImap}, with message filters on. */
    public static ProxyFixture filteringImap(int imapPort, Path stateDir, MessageFiltering filtering) throws Exception {
        PopbridgeConfig config = PopbridgeConfig.defaults()
                .withListen(List.of(ListenerConfig.parse("pop3://127.0.0.1:0"), ListenerConfig.parse("pop3s://127.0.0.1:0")))
                .withUpstream(UpstreamConfig.parse("imap://127.0.0.1:" + imapPort))
                .withStateDir(stateDir);
        return new ProxyFixture(ProxyServer.start(config.withWarmUp(false), filtering, ProxyServer.UpstreamCheck.OFF), stateDir);
    }

    public ProxyServer server() {
        return server;
    }

    /** The plain (STLS) listener. */
    public int plainPort() {
        return address(0).getPort();
    }

    /** The implicit-TLS listener. */
    public int tlsPort() {
        return address(1).getPort();
    }

    public InetSocketAddress address(int listener) {
        return server.boundAddresses().get(listener);
    }

    /** The certificate clients must trust: the one generated in the state dir. */
    public Path certificate() {
        return stateDir.resolve("self-signed.crt");
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
