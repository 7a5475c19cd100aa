package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.core.tls.TlsProfile;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void aFullFileBindsEverySetting() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                listen:
                  - pop3://127.0.0.1:2110
                  - url: pop3s://0.0.0.0:2995
                    require-tls-for-auth: false
                  - url: pop3://[::1]:3110
                    require-tls-for-auth: true
                upstream:
                  url: pop3+stls://mail.example.com:1100
                  ca: /etc/popbridge/upstream-ca.pem
                  insecure: true
                  connect-timeout: 3s
                  handshake-timeout: 4s
                  reply-timeout: 2m
                tls:
                  cert: /etc/popbridge/server.crt
                  key: /etc/popbridge/server.key
                state-dir: /var/lib/popbridge
                limits:
                  command-line-octets: 1024
                  sasl-line-octets: 16384
                  protocol-errors: 3
                  idle-timeout: 15m
                  pipelined-commands: 8
                  client-handshake-timeout: 5s
                shutdown-grace: 1m
                """);

        assertThat(config.listen()).containsExactly(
                new ListenerConfig(ListenerScheme.POP3, "127.0.0.1", 2110, null),
                new ListenerConfig(ListenerScheme.POP3S, "0.0.0.0", 2995, false),
                new ListenerConfig(ListenerScheme.POP3, "::1", 3110, true));
        assertThat(config.listen()).extracting(ListenerConfig::tlsRequiredForAuth).containsExactly(false, false, true);
        assertThat(config.upstream()).isEqualTo(new UpstreamConfig(UpstreamScheme.POP3_STLS, "mail.example.com", 1100,
                Path.of("/etc/popbridge/upstream-ca.pem"), true,
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMinutes(2)));
        assertThat(config.tls()).isEqualTo(
                new TlsConfig(Path.of("/etc/popbridge/server.crt"), Path.of("/etc/popbridge/server.key")));
        assertThat(config.tls().configured()).isTrue();
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/popbridge"));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(
                new SessionLimits(1024, 16384, 3, Duration.ofMinutes(15), 8), Duration.ofSeconds(5)));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void listenerTlsAndSniCertificatesBind() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                listen:
                  - pop3s://0.0.0.0:995
                  - url: pop3s://0.0.0.0:9995
                    tls:
                      profile: Legacy
                  - url: pop3://0.0.0.0:110
                    tls:
                      profile: legacy
                      protocols: [TLSv1.2, TLSv1]
                      ciphers: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
                tls:
                  cert: /etc/popbridge/default.crt
                  key: /etc/popbridge/default.key
                  sni:
                    - names: [Mail.Example.com, "*.example.org"]
                      cert: /etc/popbridge/example.crt
                      key: /etc/popbridge/example.key
                  reload-interval: 2s
                """);

        assertThat(config.listen()).extracting(ListenerConfig::tls).containsExactly(
                ListenerTlsConfig.defaults(),
                new ListenerTlsConfig(TlsProfile.LEGACY, List.of(), List.of()),
                new ListenerTlsConfig(TlsProfile.LEGACY, List.of("TLSv1.2", "TLSv1"),
                        List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")));
        assertThat(config.listen().get(1).tls().effectiveProtocols())
                .containsExactly("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
        assertThat(config.listen().get(1).tls().effectiveCipherSuites())
                .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(config.listen().get(0).tls().effectiveProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.tls().sni()).containsExactly(new SniCertificateConfig(List.of("mail.example.com", "*.example.org"),
                Path.of("/etc/popbridge/example.crt"), Path.of("/etc/popbridge/example.key")));
        assertThat(config.tls().reloadInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void absentKeysTakeTheDocumentedDefaults() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\n");

        assertThat(config.listen()).extracting(ListenerConfig::url)
                .containsExactly("pop3://127.0.0.1:1110", "pop3s://127.0.0.1:1995");
        assertThat(config.upstream().url()).isEqualTo("pop3s://mail.example.com:995");
        assertThat(config.upstream().ca()).isNull();
        assertThat(config.upstream().insecure()).isFalse();
        assertThat(config.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.upstream().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.upstream().replyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tls().configured()).isFalse();
        assertThat(config.tls().sni()).isEmpty();
        assertThat(config.tls().reloadInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.listen()).extracting(ListenerConfig::tls).containsOnly(ListenerTlsConfig.defaults());
        assertThat(config.stateDir()).isEqualTo(Path.of("popbridge-state"));
        SessionLimits session = config.limits().session();
        assertThat(session.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(session.commandLineOctets()).isEqualTo(255);
        assertThat(session.saslLineOctets()).isEqualTo(8192);
        assertThat(session.protocolErrors()).isEqualTo(10);
        assertThat(session.pipelinedCommands()).isEqualTo(64);
        assertThat(config.limits().clientHandshakeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPartialLimitsBlockKeepsTheOtherDefaults() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                limits:
                  idle-timeout: 20m
                """);

        assertThat(config.limits().session())
                .isEqualTo(new SessionLimits(255, 8192, 10, Duration.ofMinutes(20), 64));
    }

    @ParameterizedTest
    @CsvSource({
            "pop3s://mail.example.com, POP3S, 995",
            "pop3+stls://mail.example.com, POP3_STLS, 110",
            "pop3://mail.example.com, POP3, 110",
            "pop3s://mail.example.com:10995, POP3S, 10995",
            "imaps://mail.example.com, IMAPS, 993",
            "imap+starttls://mail.example.com, IMAP_STARTTLS, 143",
            "imap://mail.example.com, IMAP, 143",
            "IMAPS://mail.example.com:10993, IMAPS, 10993",
    })
    void anUpstreamWithoutAPortUsesItsSchemesPort(String url, UpstreamScheme scheme, int port) throws Exception {
        UpstreamConfig upstream = ConfigFiles.load(dir, "upstream: " + url + "\n").upstream();

        assertThat(upstream.scheme()).isEqualTo(scheme);
        assertThat(upstream.host()).isEqualTo("mail.example.com");
        assertThat(upstream.port()).isEqualTo(port);
        // An IMAP upstream given as a bare URL reads INBOX, marks retrieved mail seen, and only flags without UIDPLUS.
        assertThat(upstream.imap()).isEqualTo(scheme.protocol() == UpstreamScheme.Protocol.IMAP ? ImapOptions.defaults() : null);
    }

    @Test
    void aListenerWithoutAPortUsesItsSchemesPort() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                listen:
                  - pop3://0.0.0.0
                  - pop3s://0.0.0.0
                """);

        assertThat(config.listen()).extracting(ListenerConfig::port).containsExactly(110, 995);
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, true",
            "192.0.2.10, true",
            "'[::]', true",
            "127.0.0.1, false",
            "'[::1]', false",
    })
    void clearTextLoginIsRefusedBeforeTlsUnlessTheListenerIsLoopback(String host, boolean required) throws Exception {
        ListenerConfig listener = ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\nlisten:\n  - pop3://" + host + ":1110\n")
                .listen().get(0);

        assertThat(listener.requireTlsForAuth()).isNull();
        assertThat(listener.tlsRequiredForAuth()).isEqualTo(required);
    }

    @Test
    void requireTlsForAuthOverridesTheAddressBasedDefault() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                listen:
                  - url: pop3://127.0.0.1:1110
                    require-tls-for-auth: true
                  - url: pop3://0.0.0.0:110
                    require-tls-for-auth: false
                """);

        assertThat(config.listen()).extracting(ListenerConfig::tlsRequiredForAuth).containsExactly(true, false);
    }

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s, PT30S",
            "10m, PT10M",
            "1h, PT1H",
            "PT5S, PT5S",
            "'90 s', PT1M30S",
    })
    void durationsAreWrittenAsOperatorsWriteThem(String written, Duration expected) throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, "upstream:\n  url: pop3s://mail.example.com\n  reply-timeout: " + written + "\n"
                + "shutdown-grace: " + written + "\n");

        assertThat(config.upstream().replyTimeout()).isEqualTo(expected);
        assertThat(config.shutdownGrace()).isEqualTo(expected);
    }

    @Test
    void theStartUpWarmUpIsOnUnlessTheFileTurnsItOff() throws Exception {
        assertThat(ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\n").warmUp()).isTrue();
        assertThat(ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\nwarm-up: false\n").warmUp()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "# nothing configured yet\n", "---\n", "~\n"})
    void anEmptyFileRunsOnTheDefaults(String yaml) throws Exception {
        assertThat(ConfigFiles.load(dir, yaml)).isEqualTo(PopbridgeConfig.defaults());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nowhere.yaml");

        assertThatThrownBy(() -> new ConfigLoader().load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        assertThatThrownBy(() -> new ConfigLoader().load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": cannot read: ");
    }

    /** Each case: the file, then the message after "FILE:" — the line, the key and the problem. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a misspelt top-level key", """
                        listen:
                          - pop3://127.0.0.1:1110
                        upstrem: pop3s://mail.example.com
                        """,
                        "3: key 'upstrem': unknown key (known here: filtering, filters, limits, listen, logging, metrics, routes, shutdown-grace, state-dir, "
                                + "submission, tls, transport, upstream, warm-up)"),
                Arguments.of("a misspelt limit", """
                        upstream: pop3s://mail.example.com
                        limits:
                          command-line-octets: 300
                          idle-timout: 5m
                          protocol-errors: 5
                        """,
                        "4: key 'limits.idle-timout': unknown key (known here: auth-failure-delay, auth-failures, "
                                + "client-handshake-timeout, command-line-octets, connections, connections-per-ip, "
                                + "connections-per-user-ip, exempt, idle-timeout, login-timeout, max-message-size, "
                                + "pipelined-commands, protocol-errors, "
                                + "sasl-line-octets)"),
                Arguments.of("a misspelt upstream setting", """
                        upstream:
                          url: pop3s://mail.example.com
                          connect-timout: 5s
                        """,
                        "3: key 'upstream.connect-timout': unknown key "
                                + "(known here: apop, auth, ca, connect-timeout, folder, forward-client-address, handshake-timeout, "
                                + "insecure, mark-seen, move-to, provider, proxy-protocol, reply-timeout, uidl-format, url, without-uidplus)"),
                Arguments.of("a misspelt listener setting", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - pop3s://127.0.0.1:1995
                          - url: pop3://127.0.0.1:1110
                            require-tsl: true
                        """,
                        "5: key 'listen[1].require-tsl': unknown key (known here: proxy-protocol, require-tls, "
                                + "require-tls-for-auth, tls, url)"),
                Arguments.of("an http upstream", "upstream: http://mail.example.com\n",
                        "1: key 'upstream': unknown upstream scheme 'http' "
                                + "(use pop3://, pop3+stls://, pop3s://, imap://, imap+starttls:// or imaps://)"),
                Arguments.of("an http upstream written as an object", """
                        upstream:
                          url: http://mail.example.com
                          reply-timeout: 30s
                        """,
                        "2: key 'upstream.url': unknown upstream scheme 'http' "
                                + "(use pop3://, pop3+stls://, pop3s://, imap://, imap+starttls:// or imaps://)"),
                Arguments.of("an http listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - pop3://127.0.0.1:1110
                          - http://127.0.0.1:8080
                        """,
                        "4: key 'listen[1]': unknown listener scheme 'http' (use pop3://, pop3s://, smtp:// or smtps://)"),
                Arguments.of("an http listener written as an object", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - pop3://127.0.0.1:1110
                          - url: http://127.0.0.1:8080
                            require-tls-for-auth: false
                        """,
                        "4: key 'listen[1].url': unknown listener scheme 'http' (use pop3://, pop3s://, smtp:// or smtps://)"),
                Arguments.of("a port out of range", "upstream: pop3s://mail.example.com:99999\n",
                        "1: key 'upstream': port 99999 out of range (0-65535) in 'pop3s://mail.example.com:99999'"),
                Arguments.of("a listener port out of range", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - pop3://127.0.0.1:70000
                        """,
                        "3: key 'listen[0]': port 70000 out of range (0-65535) in 'pop3://127.0.0.1:70000'"),
                Arguments.of("a port that is not a number", "upstream: pop3s://mail.example.com:pop\n",
                        "1: key 'upstream': expected scheme://host[:port], got 'pop3s://mail.example.com:pop'"),
                Arguments.of("a host without a scheme", "upstream: mail.example.com:995\n",
                        "1: key 'upstream': expected scheme://host[:port], got 'mail.example.com:995'"),
                Arguments.of("a duration in words", """
                        upstream: pop3s://mail.example.com
                        limits:
                          idle-timeout: ten minutes
                        """,
                        "3: key 'limits.idle-timeout': not a duration: 'ten minutes' (use e.g. 50us, 500ms, 30s, 10m, 1h)"),
                Arguments.of("a duration without a unit", "upstream: pop3s://mail.example.com\nshutdown-grace: 30\n",
                        "2: key 'shutdown-grace': not a duration: '30' (use e.g. 50us, 500ms, 30s, 10m, 1h)"),
                Arguments.of("a zero timeout", """
                        upstream:
                          url: pop3s://mail.example.com
                          connect-timeout: 0s
                          reply-timeout: 30s
                        """,
                        "3: key 'upstream.connect-timeout': must be more than zero"),
                Arguments.of("a negative grace period", "upstream: pop3s://mail.example.com\nshutdown-grace: -PT5S\n",
                        "2: key 'shutdown-grace': must not be negative"),
                Arguments.of("a limit below its range, in the middle of the block", """
                        upstream: pop3s://mail.example.com
                        limits:
                          command-line-octets: 255
                          protocol-errors: 0
                          idle-timeout: 10m
                        """,
                        "4: key 'limits.protocol-errors': must be between 1 and 1000, got 0"),
                Arguments.of("a limit above its range", """
                        upstream: pop3s://mail.example.com
                        limits:
                          pipelined-commands: 20000
                        """,
                        "3: key 'limits.pipelined-commands': must be between 1 and 10000, got 20000"),
                Arguments.of("a limit that is not a number", """
                        upstream: pop3s://mail.example.com
                        limits:
                          protocol-errors: many
                        """,
                        "3: key 'limits.protocol-errors': expected a whole number, got 'many'"),
                Arguments.of("a flag that is not true or false", """
                        upstream:
                          url: pop3s://mail.example.com
                          insecure: maybe
                        """,
                        "3: key 'upstream.insecure': expected true or false, got 'maybe'"),
                Arguments.of("tls with a cert but no key", """
                        upstream: pop3s://mail.example.com
                        tls:
                          cert: /etc/popbridge/server.crt
                        state-dir: /var/lib/popbridge
                        """,
                        "3: key 'tls.cert': tls needs both cert and key, or neither "
                                + "(then a self-signed certificate is generated); "
                                + "a PKCS#12 file (.p12, .pfx) holds both and needs no key"),
                Arguments.of("tls with a key but no cert", """
                        upstream: pop3s://mail.example.com
                        tls:
                          key: /etc/popbridge/server.key
                        """,
                        "3: key 'tls.key': tls needs both cert and key, or neither "
                                + "(then a self-signed certificate is generated)"),
                Arguments.of("both a key password and its variable", """
                        upstream: pop3s://mail.example.com
                        tls:
                          cert: /etc/popbridge/server.crt
                          key: /etc/popbridge/server.key
                          key-password: one
                          key-password-env: TWO
                        """,
                        "6: key 'tls.key-password-env': give key-password or key-password-env, not both"),
                Arguments.of("an upstream object without a url", """
                        upstream:
                          ca: /etc/popbridge/ca.pem
                        """,
                        "1: key 'upstream': the upstream needs a url, e.g. pop3s://mail.example.com:995"),
                Arguments.of("a listener object without a url", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - require-tls-for-auth: true
                        """,
                        "3: key 'listen[0]': a listener needs a url, e.g. pop3s://0.0.0.0:995"),
                Arguments.of("a single listener not written as a list", """
                        upstream: pop3s://mail.example.com
                        listen: pop3://127.0.0.1:1110
                        """,
                        "2: key 'listen': expected a list, one '- ' item per line"),
                Arguments.of("a key given twice", """
                        upstream: pop3s://mail.example.com
                        limits:
                          protocol-errors: 5
                        limits:
                          idle-timeout: 20m
                        """,
                        "4: key 'limits': given twice (first on line 2)"),
                Arguments.of("a tab used for indentation", "upstream: pop3s://mail.example.com\nlimits:\n\tidle-timeout: 10m\n",
                        "3: not valid YAML: found character '\\t(TAB)' that cannot start any token. "
                                + "(Do not use \\t(TAB) for indentation)"),
                Arguments.of("a key indented too little", """
                        upstream: pop3s://mail.example.com
                        limits:
                          idle-timeout: 10m
                         protocol-errors: 5
                        """,
                        "4: not valid YAML: expected <block end>, but found '<block mapping start>' "
                                + "(while parsing a block mapping from line 1)"),
                Arguments.of("an unclosed bracket", """
                        upstream: pop3s://mail.example.com
                        listen: [pop3://127.0.0.1:1110
                        state-dir: /var/lib/popbridge
                        """,
                        "3: not valid YAML: expected ',' or ']', but got : "
                                + "(while parsing a flow sequence from line 2)"),
                Arguments.of("a list where settings belong", "- pop3s://mail.example.com\n",
                        "1: expected 'key: value' settings"),
                Arguments.of("an unknown TLS profile", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              profile: ancient
                        """,
                        "5: key 'listen[0].tls.profile': unknown TLS profile 'ancient' (use modern or legacy)"),
                Arguments.of("a misspelt listener TLS setting", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              protocol: [TLSv1.2]
                        """,
                        "5: key 'listen[0].tls.protocol': unknown key (known here: ciphers, profile, protocols)"),
                Arguments.of("an unknown protocol, on its own line", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              protocols:
                                - TLSv1.3
                                - TLSv1.4
                        """,
                        "7: key 'listen[0].tls.protocols[1]': unknown protocol 'TLSv1.4' (use TLSv1.3, TLSv1.2)"),
                Arguments.of("TLS 1.0 on a modern listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              protocols: [TLSv1.2, TLSv1]
                        """,
                        "5: key 'listen[0].tls.protocols[1]': protocol 'TLSv1' is only offered with profile: legacy "
                                + "(see docs/LEGACY-TLS.md)"),
                Arguments.of("SSLv3 even on a legacy listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              profile: legacy
                              protocols: [SSLv3, TLSv1]
                        """,
                        "6: key 'listen[0].tls.protocols[0]': protocol 'SSLv3' is never offered: SSL 3.0 is broken "
                                + "(POODLE); the oldest popbridge speaks is TLSv1, with profile: legacy"),
                Arguments.of("an unknown cipher suite", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              ciphers:
                                - TLS_AES_128_GCM_SHA256
                                - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                                - TLS_ECDHE_RSA_WITH_AES_512_GCM_SHA1024
                        """,
                        "8: key 'listen[0].tls.ciphers[2]': unknown or disabled cipher suite "
                                + "'TLS_ECDHE_RSA_WITH_AES_512_GCM_SHA1024' (a modern listener offers the JVM's enabled TLS 1.3"
                                + " suites and ECDHE suites with AES-GCM or ChaCha20-Poly1305)"),
                Arguments.of("a legacy-only suite on a modern listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              ciphers: [TLS_AES_128_GCM_SHA256, TLS_RSA_WITH_3DES_EDE_CBC_SHA]
                        """,
                        "5: key 'listen[0].tls.ciphers[1]': cipher suite 'TLS_RSA_WITH_3DES_EDE_CBC_SHA' is only offered "
                                + "with profile: legacy (see docs/LEGACY-TLS.md): a modern listener offers forward-secret"
                                + " AEAD suites only"),
                Arguments.of("a suite without forward secrecy on a modern listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              ciphers: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_GCM_SHA256]
                        """,
                        "5: key 'listen[0].tls.ciphers[1]': cipher suite 'TLS_RSA_WITH_AES_128_GCM_SHA256' is only offered "
                                + "with profile: legacy (see docs/LEGACY-TLS.md): a modern listener offers forward-secret"
                                + " AEAD suites only"),
                Arguments.of("a broken suite on a legacy listener", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              profile: legacy
                              ciphers: [TLS_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_NULL_SHA]
                        """,
                        "6: key 'listen[0].tls.ciphers[1]': cipher suite 'TLS_ECDHE_RSA_WITH_NULL_SHA' is never offered: "
                                + "NULL, anonymous, export, RC4, DES, MD5 and static (EC)DH suites are broken"),
                Arguments.of("suites that TLS 1.0 cannot use", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              profile: legacy
                              protocols: [TLSv1.2, TLSv1]
                              ciphers: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
                        """,
                        "7: key 'listen[0].tls.ciphers': no cipher suite listed works with TLSv1 (TLSv1.3 needs a "
                                + "TLS_AES_* or TLS_CHACHA20_* suite; TLSv1.2 any other; TLSv1 and TLSv1.1 a *_CBC_SHA suite)"),
                Arguments.of("an empty protocol list", """
                        upstream: pop3s://mail.example.com
                        listen:
                          - url: pop3s://0.0.0.0:995
                            tls:
                              protocols: []
                        """,
                        "5: key 'listen[0].tls.protocols': an empty list offers nothing; leave protocols out to use "
                                + "the profile's"),
                Arguments.of("an sni entry without names", """
                        upstream: pop3s://mail.example.com
                        tls:
                          sni:
                            - cert: /etc/popbridge/a.crt
                              key: /etc/popbridge/a.key
                        """,
                        "4: key 'tls.sni[0]': an sni entry needs the server names it is for, e.g. [mail.example.org]"),
                Arguments.of("an sni name that is not a host name", """
                        upstream: pop3s://mail.example.com
                        tls:
                          sni:
                            - names:
                                - mail.example.org
                                - "mail.*.org"
                              cert: /etc/popbridge/a.crt
                              key: /etc/popbridge/a.key
                        """,
                        "6: key 'tls.sni[0].names[1]': 'mail.*.org' is not a host name or a wildcard such as *.example.org"),
                Arguments.of("an sni entry without a key", """
                        upstream: pop3s://mail.example.com
                        tls:
                          sni:
                            - names: [mail.example.org]
                              cert: /etc/popbridge/a.crt
                        """,
                        "5: key 'tls.sni[0].cert': an sni entry needs both cert and key"),
                Arguments.of("a server name in two sni entries", """
                        upstream: pop3s://mail.example.com
                        tls:
                          sni:
                            - names: [mail.example.org]
                              cert: /etc/popbridge/a.crt
                              key: /etc/popbridge/a.key
                            - names: [pop.example.org, Mail.Example.org]
                              cert: /etc/popbridge/b.crt
                              key: /etc/popbridge/b.key
                        """,
                        "7: key 'tls.sni[1]': server name 'mail.example.org' is already listed in sni[0]"),
                Arguments.of("an unknown TLS engine", """
                        upstream: pop3s://mail.example.com
                        tls:
                          engine: boring
                        """,
                        "3: key 'tls.engine': unknown TLS engine 'boring' (use auto, openssl or jdk)"),
                Arguments.of("a zero reload interval", """
                        upstream: pop3s://mail.example.com
                        tls:
                          reload-interval: 0s
                        """,
                        "3: key 'tls.reload-interval': must be more than zero"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineKeyAndProblem(String mistake, String yaml, String expected) throws IOException {
        ConfigFiles.assertMistake(dir, yaml, expected);
    }
}
