package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.List;
import org.popbridge.filters.Direction;
import org.popbridge.filters.Envelope;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SessionReply;
import org.popbridge.filters.SessionSummary;
import org.popbridge.filters.SubmittedMessage;
import org.popbridge.filters.TlsSummary;
import org.slf4j.event.Level;

/** The lines one session writes: what they say, what they never say, and what cannot forge them. */
class AuditSessionLogTest {

    private static final SessionInfo SESSION =
            new SessionInfo("3f2a", "127.0.0.1:50422", "pop3s://0.0.0.0:995", "pop3s://mail.example:995");
    private static final TlsSummary TLS13 = new TlsSummary("TLSv1.3", "TLS_AES_128_GCM_SHA256");

    private final LogCapture log = new LogCapture("test.audit");
    private final SessionFilter filter = new AuditLog(log, true).forSession(SESSION);

    private static final SessionInfo SMTP_SESSION = new SessionInfo("7b1c", "192.0.2.7:40112", "smtp://0.0.0.0:587",
            "smtps://mail.example:465", Direction.OUTGOING);

    @Test
    void anSmtpReplyIsLoggedWithItsCode() {
        SessionFilter smtp = new AuditLog(log, true).forSession(SMTP_SESSION);

        smtp.replied(new SessionReply(new SessionCommand("RCPT", "TO:<bob@example.org>", "alice"), false, 0, "550"));

        assertThat(log.info()).containsExactly(
                "session=7b1c client=192.0.2.7:40112 user=alice command=\"RCPT TO:<bob@example.org>\" status=550");
    }

    @Test
    void eachMessageSentGetsALineWithTheServersReplyAndQueueId() {
        SessionFilter smtp = new AuditLog(log, false).forSession(SMTP_SESSION);

        smtp.submitted(new SubmittedMessage("alice", new Envelope("alice@example.org",
                List.of("bob@example.org", "carol@example.org")), 4312, 250, "2.0.0 Ok: queued as 4F2B1C", "4F2B1C"));
        smtp.submitted(new SubmittedMessage("alice", new Envelope("", List.of("bob@example.org")), 10, 550,
                "5.7.1 From: mallory@example.org is not yours", null));

        assertThat(log.info()).containsExactly(
                "session=7b1c client=192.0.2.7:40112 user=alice message=sent sender=<alice@example.org> recipients=2 "
                        + "octets=4312 reply=\"250 2.0.0 Ok: queued as 4F2B1C\" queue_id=4F2B1C",
                "session=7b1c client=192.0.2.7:40112 user=alice message=not-sent sender=<> recipients=1 octets=10 "
                        + "reply=\"550 5.7.1 From: mallory@example.org is not yours\" queue_id=-");
    }

    @Test
    void anSmtpSessionSummaryCountsMessagesSentNotRetrieved() {
        SessionFilter smtp = new AuditLog(log, false).forSession(SMTP_SESSION);

        smtp.ended(new SessionSummary(SMTP_SESSION, "alice", 6, 0, 0, 2, 9000, 400, Duration.ofMillis(812), TLS13,
                TLS13, "QUIT"));

        assertThat(log.info()).containsExactly("session=7b1c client=192.0.2.7:40112 user=alice "
                + "upstream=smtps://mail.example:465 commands=6 sent=2 octets_in=9000 octets_out=400 duration_ms=812 "
                + "client_tls=TLSv1.3 client_cipher=TLS_AES_128_GCM_SHA256 upstream_tls=TLSv1.3 "
                + "upstream_cipher=TLS_AES_128_GCM_SHA256 end=QUIT");
    }

    @Test
    void aMultiLineReplyGivesItsBodyOctets() {
        filter.replied(new SessionReply(new SessionCommand("RETR", "1", "alice"), true, 1532));

        assertThat(log.lines()).containsExactly(new LogCapture.Line(Level.INFO,
                "session=3f2a client=127.0.0.1:50422 user=alice command=\"RETR 1\" status=+OK octets=1532"));
    }

    @Test
    void aOneLineErrorHasNoOctets() {
        filter.replied(new SessionReply(new SessionCommand("DELE", "9", "alice"), false, 0));

        assertThat(log.info()).containsExactly("session=3f2a client=127.0.0.1:50422 user=alice command=\"DELE 9\" status=-ERR");
    }

    @Test
    void aCommandBeforeLoginHasNoUser() {
        filter.replied(new SessionReply(new SessionCommand("CAPA", "", null), true, 40));

        assertThat(log.info()).containsExactly("session=3f2a client=127.0.0.1:50422 user=- command=CAPA status=+OK octets=40");
    }

    @Test
    void aPasswordGivenRawIsNeverLogged() {
        filter.replied(new SessionReply(new SessionCommand("PASS", "hunter2 with spaces", "alice"), false, 0));

        assertThat(log.info()).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("hunter2");
            assertThat(AuditFields.value(line, "command")).isEqualTo("PASS ****");
        });
    }

    @Test
    void anApopDigestGivenRawIsNeverLogged() {
        filter.replied(new SessionReply(new SessionCommand("APOP", "alice c4c9334bac560ecc979e58001b3e22fb", null), true, 0));

        assertThat(log.info()).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("c4c9334bac");
            assertThat(AuditFields.value(line, "command")).isEqualTo("APOP alice ****");
        });
    }

    @Test
    void anAuthInitialResponseGivenRawIsNeverLogged() {
        filter.replied(new SessionReply(new SessionCommand("AUTH", "PLAIN AGFsaWNlAGh1bnRlcjI=", null), true, 0));

        assertThat(log.info()).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("AGFsaWNl");
            assertThat(AuditFields.value(line, "command")).isEqualTo("AUTH PLAIN ****");
        });
    }

    @Test
    void theSummarySaysHowTheSessionWent() {
        filter.ended(new SessionSummary(SESSION, "alice", 7, 2, 1, 120, 3400, Duration.ofMillis(5123),
                new TlsSummary("TLSv1", "TLS_RSA_WITH_AES_128_CBC_SHA"), TLS13, "client disconnected"));

        assertThat(log.info()).containsExactly("session=3f2a client=127.0.0.1:50422 user=alice "
                + "upstream=pop3s://mail.example:995 commands=7 retrieved=2 deleted=1 octets_in=120 octets_out=3400 "
                + "duration_ms=5123 client_tls=TLSv1 client_cipher=TLS_RSA_WITH_AES_128_CBC_SHA upstream_tls=TLSv1.3 "
                + "upstream_cipher=TLS_AES_128_GCM_SHA256 end=\"client disconnected\"");
    }

    @Test
    void aSummaryWithoutUserOrTlsStillReadsAsFields() {
        filter.ended(new SessionSummary(SESSION, null, 0, 0, 0, 0, 0, Duration.ZERO, null, TlsSummary.NONE, "timeout"));

        String line = log.info().get(0);
        assertThat(AuditFields.value(line, "user")).isEqualTo("-");
        assertThat(AuditFields.value(line, "client_tls")).isEqualTo("none");
        assertThat(AuditFields.value(line, "upstream_cipher")).isEqualTo("none");
        assertThat(AuditFields.value(line, "end")).isEqualTo("timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "alice\r\nsession=evil client=1.2.3.4:1 user=root command=QUIT status=+OK",
            "alice status=+OK",
            "al\"ice\" status=\"+OK",
            "alice\\\" status=+OK",
            "alice\u2028session=evil",
            "alice\u0000\u001b[2J\u0085",
            "",
            "-"})
    void aUserNameCannotForgeALineOrAField(String user) {
        filter.replied(new SessionReply(new SessionCommand("USER", user, user), false, 0));
        filter.ended(new SessionSummary(SESSION, user, 1, 0, 0, 10, 10, Duration.ZERO, TlsSummary.NONE,
                TlsSummary.NONE, "QUIT"));

        assertThat(log.info()).hasSize(2).allSatisfy(line -> {
            assertThat(line).doesNotContain("\r", "\n", "\u2028", "\u0085", "\u001b", "\u0000");
            assertThat(AuditFields.value(line, "user")).isEqualTo(user);
            assertThat(AuditFields.value(line, "session")).isEqualTo("3f2a");
        });
        assertThat(AuditFields.keys(log.info().get(0))).containsExactly("session", "client", "user", "command", "status");
        assertThat(AuditFields.value(log.info().get(0), "command")).isEqualTo(user.isEmpty() ? "USER" : "USER " + user);
        assertThat(AuditFields.value(log.info().get(0), "status")).isEqualTo("-ERR");
    }

    @Test
    void nothingIsBuiltOrWrittenWhenInfoIsOff() {
        log.infoEnabled(false);

        filter.replied(new SessionReply(new SessionCommand("RETR", "1", "alice"), true, 10));
        filter.ended(new SessionSummary(SESSION, "alice", 1, 1, 0, 10, 10, Duration.ZERO, TlsSummary.NONE,
                TlsSummary.NONE, "QUIT"));

        assertThat(log.lines()).isEmpty();
    }

    @Test
    void withCommandsOffOnlyTheSummaryIsWritten() {
        SessionFilter summaryOnly = new AuditLog(log, false).forSession(SESSION);

        summaryOnly.replied(new SessionReply(new SessionCommand("RETR", "1", "alice"), true, 10));
        summaryOnly.ended(new SessionSummary(SESSION, "alice", 1, 1, 0, 10, 10, Duration.ofMillis(3),
                TlsSummary.NONE, TLS13, "QUIT"));

        assertThat(log.info()).singleElement().satisfies(line -> assertThat(AuditFields.value(line, "retrieved")).isEqualTo("1"));
    }

    @Test
    void theFilterNeverRefusesACommand() {
        assertThat(filter.command(new SessionCommand("DELE", "1", "alice")).allowed()).isTrue();
        assertThat(log.lines()).as("a command is logged with its reply, not before").isEmpty();
    }
}
