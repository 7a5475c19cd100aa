package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.Test;

/**
 * tls.engine: OpenSSL by default where netty-tcnative loads, the JDK's TLS where it does not
 * (CI runs the TLS tests a second time with -Dio.netty.handler.ssl.noOpenSsl=true, which takes
 * the other branch of each test here), and an explicit choice that means what it says.
 */
class TlsEngineChoiceTest {

    @Test
    void autoIsOpenSslWhereItLoadsAndTheJdksTlsElsewhere() {
        TlsEngine expected = OpenSsl.isAvailable() ? TlsEngine.OPENSSL : TlsEngine.JDK;

        assertThat(TlsEngineChoice.AUTO.engine()).isEqualTo(expected);
        assertThat(TlsEngineChoice.AUTO.problem()).isEmpty();
        assertThat(TlsEngineChoice.AUTO.describe()).isEqualTo("auto (here " + expected.description() + ")");
    }

    @Test
    void jdkIsTheJdksTlsEvenWhereOpenSslLoads() {
        assertThat(TlsEngineChoice.JDK.engine()).isEqualTo(TlsEngine.JDK);
        assertThat(TlsEngineChoice.JDK.problem()).isEmpty();
    }

    @Test
    void opensslIsOpenSslOrAProblemThatSaysWhy() {
        if (OpenSsl.isAvailable()) {
            assertThat(TlsEngineChoice.OPENSSL.engine()).isEqualTo(TlsEngine.OPENSSL);
            assertThat(TlsEngineChoice.OPENSSL.problem()).isEmpty();
        } else {
            assertThat(TlsEngineChoice.OPENSSL.problem()).get().asString()
                    .startsWith("OpenSSL (netty-tcnative) does not load here: ")
                    .endsWith("; use auto (then the JDK's TLS serves) or jdk");
            assertThatThrownBy(TlsEngineChoice.OPENSSL::engine).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void namesAreTheConfigFilesInAnyCase() {
        assertThat(TlsEngineChoice.of(" OpenSSL ")).contains(TlsEngineChoice.OPENSSL);
        assertThat(TlsEngineChoice.of("jdk")).contains(TlsEngineChoice.JDK);
        assertThat(TlsEngineChoice.of("boringssl")).isEmpty();
    }

    @Test
    void aModernListenerIsServedByTheChosenEngineALegacyOneNeverByOpenSsl() {
        assertThat(TlsProfile.MODERN.engine(TlsEngine.JDK)).isEqualTo(TlsEngine.JDK);
        assertThat(TlsProfile.MODERN.engine(TlsEngine.OPENSSL)).isEqualTo(TlsEngine.OPENSSL);
        assertThat(TlsProfile.LEGACY.engine(TlsEngine.OPENSSL)).isEqualTo(TlsEngine.BCJSSE);
    }
}
