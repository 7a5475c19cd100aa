package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.filters.TlsSummary;

/** The {@code log} config: where the audit lines go, whether commands get lines, and what is refused. */
class LogProviderTest {

    private static final String AT = "/filters/2/log";
    private static final SessionInfo SESSION =
            new SessionInfo("3f2a", "127.0.0.1:50422", "pop3://0.0.0.0:110", "pop3s://mail.example:995");

    private final LogProvider provider = new LogProvider();

    @BeforeEach
    void clearCaptures() {
        LogCaptureProvider.logger(LogProvider.DEFAULT_LOGGER).clear();
        LogCaptureProvider.logger("ops.pop3.audit").clear();
    }

    @Test
    void itIsNamedLog() {
        assertThat(provider.name()).isEqualTo("log");
    }

    @Test
    void withNoSettingsEveryCommandAndTheSummaryGoToPopbridgeAudit() {
        SessionFilter filter = session(provider.configure(FilterSettings.empty(AT)));

        filter.replied(new SessionReply(new SessionCommand("RETR", "1", "alice"), true, 1532));
        filter.ended(summary());

        assertThat(LogCaptureProvider.logger("popbridge.audit").info()).containsExactly(
                "session=3f2a client=127.0.0.1:50422 user=alice command=\"RETR 1\" status=+OK octets=1532",
                "session=3f2a client=127.0.0.1:50422 user=alice upstream=pop3s://mail.example:995 commands=2 "
                        + "retrieved=1 deleted=0 octets_in=20 octets_out=1600 duration_ms=2500 client_tls=none "
                        + "client_cipher=none upstream_tls=TLSv1.3 upstream_cipher=TLS_AES_128_GCM_SHA256 end=QUIT");
    }

    @Test
    void theLoggerCanBeNamedSoOperatorsCanRouteIt() {
        ConfiguredFilter configured = provider.configure(settings(Map.of("logger", "ops.pop3.audit")));

        assertThat(((AuditLog) configured).logger()).isSameAs(LogCaptureProvider.logger("ops.pop3.audit"));
        session(configured).replied(new SessionReply(new SessionCommand("STAT", "", "alice"), true, 0));
        assertThat(LogCaptureProvider.logger("ops.pop3.audit").info())
                .containsExactly("session=3f2a client=127.0.0.1:50422 user=alice command=STAT status=+OK");
        assertThat(LogCaptureProvider.logger(LogProvider.DEFAULT_LOGGER).info()).isEmpty();
    }

    @Test
    void commandsFalseKeepsOnlyTheSummary() {
        SessionFilter filter = session(provider.configure(settings(Map.of("commands", "false"))));

        filter.replied(new SessionReply(new SessionCommand("RETR", "1", "alice"), true, 1532));
        filter.ended(summary());

        assertThat(LogCaptureProvider.logger(LogProvider.DEFAULT_LOGGER).info()).singleElement()
                .satisfies(line -> assertThat(line).endsWith(" end=QUIT"));
    }

    @Test
    void anUnknownSettingIsRejectedWhereItStands() {
        assertProblem(Map.of("loger", "x"), AT + "/loger", "unknown setting; expected one of logger, commands");
    }

    @Test
    void commandsMustBeAFlag() {
        assertProblem(Map.of("commands", "sometimes"), AT + "/commands", "must be true or false, not \"sometimes\"");
    }

    @Test
    void theLoggerMustBeANonBlankName() {
        assertProblem(Map.of("logger", "  "), AT + "/logger", "must name a logger, such as popbridge.audit");
        assertProblem(Map.of("logger", List.of("a", "b")), AT + "/logger", "must be a single value, not a list");
    }

    @Test
    void itMakesSessionFiltersOnly() {
        assertThat(provider.configure(FilterSettings.empty(AT))).isInstanceOf(SessionFilterFactory.class)
                .isNotInstanceOf(org.popbridge.filters.MessageFilterFactory.class);
    }

    private void assertProblem(Map<String, ?> values, String pointer, String problem) {
        assertThatThrownBy(() -> provider.configure(settings(values)))
                .isInstanceOfSatisfying(FilterConfigException.class, e -> {
                    assertThat(e.pointer()).isEqualTo(pointer);
                    assertThat(e.problem()).isEqualTo(problem);
                });
    }

    private static FilterSettings settings(Map<String, ?> values) {
        return FilterSettings.of(values, AT);
    }

    private static SessionFilter session(ConfiguredFilter configured) {
        return ((SessionFilterFactory) configured).forSession(SESSION);
    }

    private static SessionSummary summary() {
        return new SessionSummary(SESSION, "alice", 2, 1, 0, 20, 1600, Duration.ofMillis(2500), TlsSummary.NONE,
                new TlsSummary("TLSv1.3", "TLS_AES_128_GCM_SHA256"), "QUIT");
    }
}
