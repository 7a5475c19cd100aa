package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPasswordsTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("POPBRIDGE_KEY_PASSWORD", "from-env",
            "POPBRIDGE_EMPTY", "");

    @Test
    void neitherGivenMeansNoPassword() throws Exception {
        assertThat(KeyPasswords.resolve(null, null, ENVIRONMENT::get)).isNull();
    }

    @Test
    void literalPasswordIsUsedAsGiven() throws Exception {
        assertThat(KeyPasswords.resolve("literal pw", null, ENVIRONMENT::get)).isEqualTo("literal pw".toCharArray());
    }

    @Test
    void environmentVariableIsRead() throws Exception {
        assertThat(KeyPasswords.resolve(null, "POPBRIDGE_KEY_PASSWORD", ENVIRONMENT::get))
                .isEqualTo("from-env".toCharArray());
    }

    @Test
    void emptyValuesAreEmptyPasswordsAsPkcs12FilesMayUseThem() throws Exception {
        assertThat(KeyPasswords.resolve("", null, ENVIRONMENT::get)).isEmpty();
        assertThat(KeyPasswords.resolve(null, "POPBRIDGE_EMPTY", ENVIRONMENT::get)).isEmpty();
    }

    @Test
    void bothGivenIsAnErrorThatDoesNotShowTheLiteral() {
        assertThatThrownBy(() -> KeyPasswords.resolve("hunter2", "POPBRIDGE_KEY_PASSWORD", ENVIRONMENT::get))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("give only one of them")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("from-env");
    }

    @Test
    void unsetVariableIsNamed() {
        assertThatThrownBy(() -> KeyPasswords.resolve(null, "POPBRIDGE_NOT_SET", ENVIRONMENT::get))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("environment variable POPBRIDGE_NOT_SET is not set, but the key password is to be read"
                        + " from it");
    }

    @Test
    void processEnvironmentIsWhatThePublicMethodReads() throws Exception {
        String name = System.getenv().keySet().stream().findFirst().orElse(null);
        assumeTrue(name != null, "the test process has an environment");

        assertThat(KeyPasswords.resolve(null, name)).isEqualTo(System.getenv(name).toCharArray());
        assertThatThrownBy(() -> KeyPasswords.resolve(null, "POPBRIDGE_SURELY_UNSET_" + System.nanoTime()))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("is not set");
    }
}
