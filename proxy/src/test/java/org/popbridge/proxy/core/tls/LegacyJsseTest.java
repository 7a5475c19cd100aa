package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.Security;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** The legacy provider gets TLS 1.0/1.1 without the rest of the JVM getting them. */
class LegacyJsseTest {

    @Test
    void theLegacyProviderSpeaksTls10() {
        assertThat(LegacyJsse.provider().getName()).isEqualTo("BCJSSE");
        assertThat(LegacyJsse.allowsTls10()).isTrue();
    }

    @Test
    void theJvmsOwnConstraintsAreUntouched() {
        LegacyJsse.provider();

        assertThat(Security.getProperty("jdk.tls.disabledAlgorithms")).contains("TLSv1", "TLSv1.1", "3DES_EDE_CBC");
    }

    @Test
    void theJdksTlsStillRefusesTls10AfterTheLegacyProviderIsUp() throws Exception {
        LegacyJsse.provider();
        SSLEngine client = TlsEngine.jdkContext().createSSLEngine("legacy-probe.invalid", 995);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1"});

        assertThatThrownBy(() -> {
            client.beginHandshake();
            client.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(client.getSession().getPacketBufferSize()));
        }).isInstanceOf(SSLException.class).hasMessageContaining("No appropriate protocol");
    }

    @Test
    void onlyWhatTheLegacyProfileNeedsIsTakenOffTheList() {
        assertThat(LegacyJsse.loosened("SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, "
                + "3DES_EDE_CBC, anon, NULL, ECDH"))
                .isEqualTo("SSLv3, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, anon, NULL, ECDH");
    }
}
