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
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.proxy.core.routing.UserRewrite;
import org.popbridge.proxy.core.tls.KeyPassword;
import org.popbridge.proxy.core.tls.TlsProfile;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.ImapOptions;

/** examples/popbridge.yaml is what the README points operators at; it must keep working. */
class ExampleConfigTest {

    private static Path example() {
        return ExampleFiles.find("examples/popbridge.yaml");
    }

    @Test
    void theExampleBindsAndShowsTheDefaults() throws Exception {
        PopbridgeConfig config = new ConfigLoader().load(example());

        assertThat(config.upstream()).isEqualTo(UpstreamConfig.parse("pop3s://mail.example.com:995"));
        assertThat(config.stateDir().normalize()).isEqualTo(PopbridgeConfig.DEFAULT_STATE_DIR);
        // Apart from the upstream, which has no default, every value shown is the default.
        assertThat(config.submission()).isNull();
        assertThat(config.withUpstream(null).withStateDir(PopbridgeConfig.DEFAULT_STATE_DIR))
                .isEqualTo(PopbridgeConfig.defaults());
    }

    @Test
    void theExampleMentionsEverySettingTheLoaderKnows() throws IOException {
        String text = Files.readString(example());

        assertThat(settingNames()).hasSizeGreaterThan(30)
                .allSatisfy(name -> assertThat(text).as("examples/popbridge.yaml")
                        .containsPattern("(?m)^[ #-]*" + Pattern.quote(name) + ":"));
    }

    /**
     * "  # ca: /etc/..." becomes "  ca: /etc/...", "  # sni:" becomes "  sni:"; prose comments
     * do not look like "key: value" or "key:".
     */
    private static String uncomment(String yaml) {
        return yaml.replaceAll("(?m)^(\\s*)# ( *(?:- )?[a-z][a-z-]*:(?: \\S.*)?)$", "$1$2");
    }

    @Test
    void theCommentedOutSettingsWorkOnceUncommented(@TempDir Path dir) throws Exception {
        // The sample filters are left out here: they need the built-in filters, and
        // theCommentedOutFiltersWorkOnceUncommented checks them.
        String withoutFilters = Files.readString(example()).replaceAll("(?m)^# filters:\n(?:#.*\n?)*", "");
        Path file = Files.writeString(dir.resolve("uncommented.yaml"), uncomment(withoutFilters));

        PopbridgeConfig config = new ConfigLoader().load(file);

        assertThat(config.upstream().ca()).isEqualTo(Path.of("/etc/popbridge/upstream-ca.pem"));
        assertThat(config.tls()).isEqualTo(
                new TlsConfig(Path.of("/etc/popbridge/server.crt"), Path.of("/etc/popbridge/server.key"),
                        new KeyPassword(null, "POPBRIDGE_KEY_PASSWORD"), List.of(), TlsConfig.DEFAULT_RELOAD_INTERVAL)
                        .withSni(List.of(new SniCertificateConfig(List.of("mail.example.org", "*.example.org"),
                                Path.of("/etc/popbridge/example-org.crt"), Path.of("/etc/popbridge/example-org.key")))));
        assertThat(config.listen()).hasSize(5);
        assertThat(config.listen().get(2).url()).isEqualTo("pop3://0.0.0.0:110");
        assertThat(config.listen()).extracting(ListenerConfig::url).endsWith(
                "smtp://127.0.0.1:1587", "smtps://127.0.0.1:1465");
        assertThat(config.submission()).isEqualTo(SubmissionConfig.of("smtps://smtp.example.com:465",
                Path.of("/etc/popbridge/upstream-ca.pem"), null, null, null, null, null, null, null, null, null, null));
        assertThat(config.routes().get(1).submission().url()).isEqualTo("smtp+starttls://exchange.branch.example.com:587");
        assertThat(config.routes().get(1).submission().authMechanism()).isEqualTo(SubmissionSettings.AuthMechanism.LOGIN);
        assertThat(config.listen().get(2).requireTlsForAuth()).isTrue();
        assertThat(config.listen().get(2).proxyProtocol().networks()).hasSize(2);
        assertThat(config.listen().get(2).tls()).isEqualTo(new ListenerTlsConfig(TlsProfile.LEGACY,
                List.of("TLSv1.2", "TLSv1.1", "TLSv1"), List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA")));
        assertThat(config.filterChain()).isSameAs(FilterChain.empty());
        assertThat(config.routes()).extracting(route -> route.match().toString())
                .containsExactly("boss@example.com", "*@branch.example.com", "scanner");
        assertThat(config.routes().get(1).rewrite()).isEqualTo(UserRewrite.stripDomain());
        assertThat(config.routes().get(1).upstream().imap())
                .isEqualTo(new ImapOptions("INBOX", true, CommitFallback.moveTo("Trash")));
        assertThat(config.routes().get(2).rewrite()).isEqualTo(UserRewrite.addDomain("example.com"));
        assertThat(config.routes().get(2).upstream().oauth2().tokenUrl()).hasToString(
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assertThat(config.logging()).isEqualTo(new LoggingConfig(LogLevel.INFO, LogFormat.TEXT,
                Path.of("/var/log/popbridge/popbridge.log"), LoggingConfig.DEFAULT_MAX_FILE_SIZE,
                LoggingConfig.DEFAULT_MAX_HISTORY));
    }

    /** Needs the built-in filters (log, spam-tag, headers) registered on the class path. */
    @Test
    void theCommentedOutFiltersWorkOnceUncommented(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("uncommented.yaml"), uncomment(Files.readString(example())));

        PopbridgeConfig config = new ConfigLoader().load(file);

        assertThat(config.filterChain().entries()).extracting(FilterChain.Entry::name)
                .containsExactly("log", "spam-tag", "headers");
        assertThat(config.filterChain().policy()).isEqualTo(FailurePolicy.OPEN);
    }

    /** Every key the records bind, found from their {@code @JsonCreator} parameters. */
    private static List<String> settingNames() {
        List<String> names = new ArrayList<>();
        Stream.of(PopbridgeConfig.class, ListenerConfig.class, ListenerTlsConfig.class, ProxyProtocolConfig.class,
                        UpstreamConfig.class,
                        SubmissionConfig.class, OAuthProviderConfig.class, RouteConfig.class, TlsConfig.class, SniCertificateConfig.class, LimitsConfig.class, FilteringConfig.class,
                        VerdictCacheConfig.class, LoggingConfig.class, TransportConfig.class)
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
