package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.tls.TlsProfile;

/** examples/popbridge.yaml is what the README points operators at; it must keep working. */
class ExampleConfigTest {

    private static Path example() {
        // Surefire runs in the module directory; the example lives at the top of the project.
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("examples/popbridge.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("examples/popbridge.yaml not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theExampleBindsAndShowsTheDefaults() throws Exception {
        PopbridgeConfig config = new ConfigLoader().load(example());

        assertThat(config.upstream()).isEqualTo(UpstreamConfig.parse("pop3s://mail.example.com:995"));
        assertThat(config.stateDir().normalize()).isEqualTo(PopbridgeConfig.DEFAULT_STATE_DIR);
        // Apart from the upstream, which has no default, every value shown is the default.
        assertThat(config.withUpstream(null).withStateDir(PopbridgeConfig.DEFAULT_STATE_DIR))
                .isEqualTo(PopbridgeConfig.defaults());
    }

    @Test
    void theExampleMentionsEverySettingTheLoaderKnows() throws IOException {
        String text = Files.readString(example());

        assertThat(settingNames()).hasSizeGreaterThan(20)
                .allSatisfy(name -> assertThat(text).as("examples/popbridge.yaml")
                        .containsPattern("(?m)^[ #-]*" + Pattern.quote(name) + ":"));
    }

    @Test
    void theCommentedOutSettingsWorkOnceUncommented(@TempDir Path dir) throws Exception {
        // "  # ca: /etc/..." becomes "  ca: /etc/...", "  # sni:" becomes "  sni:"; prose comments
        // do not look like "key: value" or "key:".
        String uncommented = Files.readString(example())
                .replaceAll("(?m)^(\\s*)# ( *(?:- )?[a-z][a-z-]*:(?: \\S.*)?)$", "$1$2");
        Path file = Files.writeString(dir.resolve("uncommented.yaml"), uncommented);

        PopbridgeConfig config = new ConfigLoader().load(file);

        assertThat(config.upstream().ca()).isEqualTo(Path.of("/etc/popbridge/upstream-ca.pem"));
        assertThat(config.tls()).isEqualTo(
                new TlsConfig(Path.of("/etc/popbridge/server.crt"), Path.of("/etc/popbridge/server.key"),
                        new KeyPassword(null, "POPBRIDGE_KEY_PASSWORD"), List.of(), TlsConfig.DEFAULT_RELOAD_INTERVAL)
                        .withSni(List.of(new SniCertificateConfig(List.of("mail.example.org", "*.example.org"),
                                Path.of("/etc/popbridge/example-org.crt"), Path.of("/etc/popbridge/example-org.key")))));
        assertThat(config.listen()).hasSize(3);
        assertThat(config.listen().get(2).url()).isEqualTo("pop3://0.0.0.0:110");
        assertThat(config.listen().get(2).requireTlsForAuth()).isTrue();
        assertThat(config.listen().get(2).tls()).isEqualTo(new ListenerTlsConfig(TlsProfile.LEGACY,
                List.of("TLSv1.2", "TLSv1.1", "TLSv1"), List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA")));
    }

    /** Every key the records bind, found from their {@code @JsonCreator} parameters. */
    private static List<String> settingNames() {
        List<String> names = new ArrayList<>();
        Stream.of(PopbridgeConfig.class, ListenerConfig.class, ListenerTlsConfig.class, UpstreamConfig.class,
                        TlsConfig.class, SniCertificateConfig.class, LimitsConfig.class)
                .flatMap(type -> Stream.<Executable>concat(
                        Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors())))
                .filter(creator -> creator.isAnnotationPresent(JsonCreator.class))
                .flatMap(creator -> Stream.of(creator.getParameters()))
                .map(parameter -> parameter.getAnnotation(JsonProperty.class))
                .filter(property -> property != null)
                .map(JsonProperty::value)
                .forEach(names::add);
        return names;
    }
}
