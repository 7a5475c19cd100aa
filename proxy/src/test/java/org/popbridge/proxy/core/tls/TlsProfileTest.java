package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What each profile offers by default, and what it refuses to offer. */
class TlsProfileTest {

    @Test
    void modernIsTls13And12WithForwardSecretAeadSuitesOnly() {
        assertThat(TlsProfile.MODERN.defaultProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsProfile.MODERN.defaultCipherSuites())
                .containsExactly(
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_AES_128_GCM_SHA256",
                        "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .isSubsetOf(TlsEngine.JDK.defaultCipherSuites());
    }

    @Test
    void aModernListenerCannotBeGivenSuitesWithoutForwardSecrecyOrAead() {
        assertThat(List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"))
                .allSatisfy(suite -> assertThat(TlsProfile.MODERN.cipherSuiteProblem(suite)).get().asString()
                        .isEqualTo("cipher suite '" + suite + "' is only offered with profile: legacy (see docs/LEGACY-TLS.md):"
                                + " a modern listener offers forward-secret AEAD suites only"));
        assertThat(TlsProfile.MODERN.cipherSuiteProblem("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isEmpty();
        assertThat(TlsProfile.MODERN.cipherSuiteProblem("TLS_AES_128_GCM_SHA256")).isEmpty();
    }

    @Test
    void legacyAddsTls10And11AndTheSuitesOldClientsNeed() {
        assertThat(TlsProfile.LEGACY.defaultProtocols()).containsExactly("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
        assertThat(TlsProfile.LEGACY.defaultCipherSuites())
                .startsWith("TLS_AES_256_GCM_SHA384")
                .containsAll(TlsProfile.LEGACY_CIPHER_SUITES)
                .endsWith("TLS_RSA_WITH_3DES_EDE_CBC_SHA")
                .noneMatch(TlsProfile::isBroken);
        assertThat(TlsProfile.LEGACY.engine(TlsEngine.OPENSSL)).as("whatever tls.engine says").isEqualTo(TlsEngine.BCJSSE);
        assertThat(TlsProfile.LEGACY.engine(TlsEngine.JDK)).isEqualTo(TlsEngine.BCJSSE);
    }

    @Test
    void eachProtocolNeedsASuiteItCanUse() {
        assertThat(TlsProfile.LEGACY.combinationProblem(List.of("TLSv1.3", "TLSv1"),
                List.of("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"))).isEmpty();
        assertThat(TlsProfile.LEGACY.combinationProblem(List.of("TLSv1.3", "TLSv1.1"),
                List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"))).get().asString()
                .startsWith("no cipher suite listed works with TLSv1.3, TLSv1.1");
    }

    @Test
    void brokenSuitesAreRecognised() {
        assertThat(List.of("TLS_RSA_WITH_NULL_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA", "SSL_RSA_WITH_RC4_128_MD5",
                "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "SSL_RSA_EXPORT_WITH_DES40_CBC_SHA", "TLS_RSA_WITH_DES_CBC_SHA"))
                .allMatch(TlsProfile::isBroken);
        assertThat(TlsProfile.isBroken("TLS_RSA_WITH_3DES_EDE_CBC_SHA")).isFalse();
    }
}
