package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.tls.TlsEngine;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * One TLS context, hence one session cache, per server and trust settings: shared wherever the
 * same server is reached the same way (so a login resumes the last one's session), never where
 * it is trusted otherwise or is another server (so no session is resumed where it was not verified).
 */
class UpstreamTlsContextsTest {

    @TempDir
    Path dir;

    @Test
    void theSameServerTrustedTheSameWayGetsOneContext() throws Exception {
        Path ca = TestCertificates.newCa().writeCa(dir.resolve("ca.pem"));
        UpstreamTlsContexts contexts = UpstreamTlsContexts.unmetered(TlsEngine.JDK);
        UpstreamConfig pop3s = UpstreamConfig.parse("pop3s://mail.example.com:995").withCa(ca);

        assertThat(contexts.contextFor(UpstreamConfig.parse("pop3s://MAIL.example.com:995").withCa(ca)))
                .as("host names in another case, and another route's settings, are still the same server")
                .isSameAs(contexts.contextFor(pop3s));
    }

    @Test
    void anotherCaVerificationOffAnotherHostOrPortEachGetTheirOwn() throws Exception {
        Path ca = TestCertificates.newCa().writeCa(dir.resolve("ca.pem"));
        Path otherCa = TestCertificates.newCa().writeCa(dir.resolve("other-ca.pem"));
        UpstreamTlsContexts contexts = UpstreamTlsContexts.unmetered(TlsEngine.JDK);
        UpstreamConfig verified = UpstreamConfig.parse("pop3s://mail.example.com:995").withCa(ca);

        assertThat(java.util.List.of(
                contexts.contextFor(verified),
                contexts.contextFor(UpstreamConfig.parse("pop3s://mail.example.com:995")),
                contexts.contextFor(UpstreamConfig.parse("pop3s://mail.example.com:995").withCa(otherCa)),
                contexts.contextFor(UpstreamConfig.parse("pop3s://mail.example.com:995").withCa(ca).withInsecure(true)),
                contexts.contextFor(UpstreamConfig.parse("pop3s://mail2.example.com:995").withCa(ca)),
                contexts.contextFor(UpstreamConfig.parse("imaps://mail.example.com:993").withCa(ca))))
                .doesNotHaveDuplicates();
    }
}
