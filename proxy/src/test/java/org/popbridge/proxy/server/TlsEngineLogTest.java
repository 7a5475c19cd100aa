package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.ProxyFixture;

/** The start-up log names the TLS engine of each side once, and says why where auto fell back to the JDK's. */
class TlsEngineLogTest {

    @TempDir
    Path dir;

    @Test
    void anExplicitJdkChoiceServesListenersAndMailServersWithTheJdksTls() throws Exception {
        List<String> lines = startAndLog("jdk");

        assertThat(lines).contains("TLS towards clients: the JDK's TLS (SunJSSE) for modern listeners (tls.engine: jdk)")
                .anySatisfy(line -> assertThat(line).startsWith("upstream TLS: TLSv1.3, TLSv1.2 with the JDK's TLS (SunJSSE), "
                        + "chain and host name verified"))
                .noneMatch(line -> line.contains("OpenSSL"));
    }

    @Test
    void autoIsOpenSslWhereItLoadsAndSaysWhyNotWhereItDoesNot() throws Exception {
        List<String> lines = startAndLog("auto");

        TlsEngine engine = TlsEngine.OPENSSL.loads() ? TlsEngine.OPENSSL : TlsEngine.JDK;
        assertThat(lines).contains("TLS towards clients: " + engine.description() + " for modern listeners (tls.engine: auto)")
                .anySatisfy(line -> assertThat(line).startsWith("upstream TLS: TLSv1.3, TLSv1.2 with " + engine.description()));
        if (engine == TlsEngine.JDK) {
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(
                    "tls.engine: auto, and OpenSSL (netty-tcnative) does not load here, so the JDK's TLS serves: "));
        }
    }

    @Test
    void aLegacyListenerKeepsBouncyCastlesJsseWhateverTheEngine() throws Exception {
        List<String> lines = startAndLog("auto");

        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(
                "TLS towards clients: " + TlsEngine.BCJSSE.description() + " for legacy listeners, whatever tls.engine says"));
    }

    private List<String> startAndLog(String engine) throws Exception {
        String yaml = """
                listen:
                  - pop3://127.0.0.1:0
                  - url: pop3s://127.0.0.1:0
                    tls: { profile: legacy }
                upstream: pop3s://localhost:1
                tls: { engine: %s }
                state-dir: %s
                """.formatted(engine, dir.resolve("state"));
        PopbridgeConfig config = new ConfigLoader().load(Path.of("engine.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        try (LogCapture generation = LogCapture.of(Generation.class);
                LogCapture routes = LogCapture.of(RouteTables.class);
                ProxyFixture proxy = ProxyFixture.start(config)) {
            return java.util.stream.Stream.concat(generation.events().stream(), routes.events().stream())
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
