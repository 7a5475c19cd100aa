package org.popbridge.proxy.filtering;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.builtin.LogProvider;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** The log filter as the proxy feeds it: one line per command, one summary per session, secrets masked. */
class AuditLogTest {

    private static final long WAIT_MS = 10_000;
    private static final String MESSAGE = "Subject: one\r\n\r\nfirst\r\n";

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;
    private LogCapture audit;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedPop3Server("alice", "s3cret-Pa55", List.of(MessageSource.of(MESSAGE),
                MessageSource.of("Subject: two\r\n\r\nsecond\r\n")));
        audit = LogCapture.of(LogProvider.DEFAULT_LOGGER);
    }

    @AfterEach
    void stop() throws Exception {
        audit.close();
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private void startProxy(Object... filters) throws Exception {
        proxy = ProxyFixture.filtering(upstream.port(), stateDir,
                TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, Duration.ofSeconds(5), filters), false));
    }

    private static Object logFilter() {
        return new LogProvider().configure(FilterSettings.empty("/filters/0/log"));
    }

    @Test
    void everyCommandAndTheSessionAreLoggedWithoutThePassword() throws Exception {
        startProxy("log", logFilter());
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "s3cret-Pa55");
            RawPop3Client.expectOk(client.command("RETR 1"));
            client.readBody();
            RawPop3Client.expectOk(client.command("DELE 2"));
            assertThat(client.command("RETR 9")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        ILoggingEvent summary = audit.await(event -> event.getFormattedMessage().contains("retrieved="), WAIT_MS);
        List<String> lines = audit.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).noneMatch(line -> line.contains("s3cret-Pa55"));
        assertThat(lines).anyMatch(line -> line.contains("user=alice") && line.contains("command=\"PASS ****\"")
                && line.contains("status=+OK"));
        assertThat(lines).anyMatch(line -> line.contains("command=\"RETR 1\"") && line.contains("status=+OK")
                && line.contains("octets=" + MESSAGE.length()));
        assertThat(lines).anyMatch(line -> line.contains("command=\"RETR 9\"") && line.contains("status=-ERR"));
        assertThat(summary.getFormattedMessage()).contains("user=alice", "retrieved=1", "deleted=1", "end=QUIT",
                "client=127.0.0.1:", "upstream=pop3://127.0.0.1:" + upstream.port());
        assertThat(summary.getFormattedMessage()).containsPattern("octets_in=\\d{2,}").containsPattern("octets_out=\\d{2,}");
    }

    /** Issue 12: PASS glued to the password is refused as no command, and its audit line masks it all the same. */
    @ParameterizedTest(name = "PASS [{0}] password")
    @ValueSource(strings = {"\t", "\u000b", "\f", "\u00a0", ":"})
    void aPasswordGluedToPassIsMaskedInTheAuditLine(String separator) throws Exception {
        startProxy("log", logFilter());
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            client.sendRaw("PASS" + separator + "s3cret-Pa55\r\n");
            assertThat(client.readLine()).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        audit.await(event -> event.getFormattedMessage().contains("retrieved="), WAIT_MS);
        List<String> lines = audit.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContainIgnoringCase("s3cret-Pa55"));
        assertThat(lines).anyMatch(line -> line.contains("command=\"PASS ****\" status=-ERR"));
    }

    @Test
    void theSummaryNamesTheClientsTlsAndADisconnectDeletesNothing() throws Exception {
        startProxy("log", logFilter());
        try (RawPop3Client client = RawPop3Client.tls(proxy.tlsPort(), proxy.certificate())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "s3cret-Pa55");
            RawPop3Client.expectOk(client.command("DELE 1"));
        }
        ILoggingEvent summary = audit.await(event -> event.getFormattedMessage().contains("retrieved="), WAIT_MS);
        assertThat(summary.getFormattedMessage()).contains("deleted=0", "end=\"client disconnected\"")
                .containsPattern("client_tls=TLSv1\\.[23]").contains("upstream_tls=none");
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void aSessionFilterCanRefuseACommandAndNothingGoesUpstream() throws Exception {
        SessionFilterFactory noDeletes = session -> new SessionFilter() {
            @Override
            public CommandDecision command(org.popbridge.filters.SessionCommand command) {
                return command.keyword().equals("DELE") ? CommandDecision.refuse("deleting is not allowed here")
                        : CommandDecision.allow();
            }
        };
        startProxy("policy", noDeletes, "log", logFilter());
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            client.login("alice", "s3cret-Pa55");
            assertThat(client.command("DELE 1")).isEqualTo("-ERR deleting is not allowed here");
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.commandsSeen()).noneMatch(line -> line.startsWith("DELE"));
        assertThat(upstream.expunged()).isEmpty();
    }
}
