package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics: block: where the endpoint listens, and mistakes named with their line. */
class MetricsConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheBlockThereIsNoEndpoint() throws Exception {
        assertThat(ConfigFiles.load(dir, "upstream: pop3s://mail.example.com\n").metrics()).isNull();
    }

    @Test
    void listenIsHostColonPortWithIpv6InBrackets() throws Exception {
        assertThat(ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                metrics: { listen: "127.0.0.1:9110" }
                """).metrics()).isEqualTo(new MetricsConfig("127.0.0.1", 9110));
        MetricsConfig v6 = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                metrics:
                  listen: "[::1]:9110"
                """).metrics();
        assertThat(v6).isEqualTo(new MetricsConfig("::1", 9110));
        assertThat(v6.describe()).isEqualTo("[::1]:9110");
    }

    @Test
    void aListenWithoutAPortIsNamedWithItsLine() throws Exception {
        ConfigFiles.assertMistake(dir, """
                upstream: pop3s://mail.example.com
                metrics:
                  listen: localhost
                """, "3: key 'metrics.listen': expected HOST:PORT, such as 127.0.0.1:9110, got 'localhost'");
    }

    @Test
    void aPortOutOfRangeIsRefused() throws Exception {
        ConfigFiles.assertMistake(dir, """
                upstream: pop3s://mail.example.com
                metrics: { listen: "0.0.0.0:70000" }
                """, "2: key 'metrics.listen': port 70000 out of range (0-65535)");
    }

    @Test
    void anIpv6AddressWithoutBracketsIsRefused() throws Exception {
        ConfigFiles.assertMistake(dir, """
                upstream: pop3s://mail.example.com
                metrics: { listen: "::1:9110" }
                """, "2: key 'metrics.listen': an IPv6 address goes in brackets, such as [::1]:9110, got '::1:9110'");
    }

    @Test
    void anUnknownKeyIsNamed() throws Exception {
        ConfigFiles.assertMistake(dir, """
                upstream: pop3s://mail.example.com
                metrics:
                  listen: "127.0.0.1:9110"
                  path: /prometheus
                """, "4: key 'metrics.path': unknown key (known here: listen)");
    }

    @Test
    void aBlockWithoutListenSaysWhatIsMissing() throws Exception {
        ConfigFiles.assertMistake(dir, """
                upstream: pop3s://mail.example.com
                metrics:
                  port: 9110
                """, "2: key 'metrics': listen: HOST:PORT is required, such as 127.0.0.1:9110");
    }
}
