package org.popbridge.proxy.submission;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.Direction;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.Verdict;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.ScriptedSmtpServer;

/**
 * Outgoing mail through the filters, against a scripted submission server that records every
 * command and every message: the server sees a message only once the filters let it through,
 * with their edits and the body as the client sent it; a refused message never reaches it.
 */
class SubmissionFilteringTest {

    private static final String PASSWORD = "Filt3red-Secret";
    private static final String BODY = "first line\r\n.\r\n..two dots\r\n.leading dot\r\n" + "x".repeat(998)
            + "\r\n\r\ncaf\u00e9 in 8 bits\r\nlast line\r\n";

    @TempDir
    Path stateDir;

    private ScriptedSmtpServer server;
    private ProxyFixture proxy;

    private void start(String filters) throws Exception {
        start(filters, List.of());
    }

    private void start(String filtersYaml, List<FilterChain.Entry> javaFilters) throws Exception {
        server = new ScriptedSmtpServer("alice", PASSWORD);
        String yaml = """
                listen: [smtp://127.0.0.1:0]
                submission: smtp://127.0.0.1:%d
                state-dir: %s
                filtering:
                  header-limit: 2KB
                  on-failure: closed
                %s
                """.formatted(server.port(), stateDir, filtersYaml);
        PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        if (!javaFilters.isEmpty()) {
            config = config.withFilters(javaFilters);
        }
        proxy = ProxyFixture.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RawSmtpClient loggedIn() throws Exception {
        RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort());
        assertThat(client.logIn("alice", PASSWORD)).startsWith("235 ");
        return client;
    }

    /** Sends one message with MAIL, RCPT and DATA pipelined; returns the reply to its ".". */
    private static String send(RawSmtpClient client, String headers, String body) throws Exception {
        client.send("MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n");
        assertThat(client.reply()).startsWith("250 ");
        assertThat(client.reply()).startsWith("250 ");
        assertThat(client.reply()).startsWith("354 ");
        client.send(stuffed(headers + "\r\n" + body) + ".\r\n");
        return client.reply();
    }

    private static String stuffed(String message) {
        return message.replace("\r\n.", "\r\n..");
    }

    @Test
    void theHeadersFilterEditsOutgoingMailAndTheBodyArrivesByteForByte() throws Exception {
        start("""
                filters:
                  - headers:
                      direction: outgoing
                      remove: [X-Originating-IP]
                      add: {X-Sent-Via: popbridge}
                """);
        try (RawSmtpClient client = loggedIn()) {
            String reply = send(client, "From: alice@example.com\r\nX-Originating-IP: [10.1.2.3]\r\nSubject: hi\r\n",
                    BODY);
            assertThat(reply).isEqualTo("250 2.0.0 Ok: queued as SCRIPTED1");
        }
        assertThat(server.acceptedMessages()).hasSize(1);
        assertThat(new String(server.acceptedMessages().get(0), StandardCharsets.ISO_8859_1))
                .isEqualTo(stuffed("From: alice@example.com\r\nSubject: hi\r\nX-Sent-Via: popbridge\r\n\r\n" + BODY));
    }

    @Test
    void filtersForMailReadLeaveMailSentAlone() throws Exception {
        start("""
                filters:
                  - headers:
                      remove: [X-Originating-IP]
                """);
        try (RawSmtpClient client = loggedIn()) {
            assertThat(send(client, "X-Originating-IP: [10.1.2.3]\r\n", "body\r\n")).startsWith("250 ");
        }
        assertThat(new String(server.acceptedMessages().get(0), StandardCharsets.ISO_8859_1))
                .isEqualTo("X-Originating-IP: [10.1.2.3]\r\n\r\nbody\r\n");
    }

    @Test
    void aRefusedMessageNeverReachesTheServerAndTheSessionGoesOn() throws Exception {
        start("", List.of(outgoing("no-secrets", (MessageFilterFactory) message -> headers ->
                (headers.first("Subject").orElse("").contains("secret")
                        ? Verdict.refuse("Secrets stay in the house") : Verdict.deliver()).now())));
        try (RawSmtpClient client = loggedIn()) {
            assertThat(send(client, "Subject: the secret plan\r\n", BODY)).isEqualTo("550 5.7.1 Secrets stay in the house");
            assertThat(send(client, "Subject: lunch\r\n", "body\r\n")).startsWith("250 ");
        }
        assertThat(server.acceptedMessages()).hasSize(1);
        assertThat(new String(server.acceptedMessages().get(0), StandardCharsets.ISO_8859_1)).contains("lunch");
        // The refused transaction was reset at the server; DATA went only for the message let through.
        assertThat(server.commandsSeen()).containsSubsequence("MAIL FROM:<alice@example.com>",
                "RCPT TO:<bob@example.com>", "RSET", "MAIL FROM:<alice@example.com>", "RCPT TO:<bob@example.com>",
                "DATA");
        assertThat(server.commandsSeen().stream().filter("DATA"::equals)).hasSize(1);
    }

    @Test
    void theFiltersSeeTheEnvelopeTheServerAccepted() throws Exception {
        List<MessageInfo> seen = new CopyOnWriteArrayList<>();
        start("", List.of(outgoing("watch", (MessageFilterFactory) message -> {
            seen.add(message);
            return headers -> Verdict.deliver().now();
        })));
        try (RawSmtpClient client = loggedIn()) {
            client.send("MAIL FROM:<alice@example.com> SIZE=40\r\nRCPT TO:<bob@example.com>\r\n"
                    + "RCPT TO:<carol@example.com>\r\nDATA\r\n");
            for (int i = 0; i < 3; i++) {
                assertThat(client.reply()).startsWith("250 ");
            }
            assertThat(client.reply()).startsWith("354 ");
            assertThat(client.command("Subject: x\r\n\r\nbody\r\n.")).startsWith("250 ");
        }
        assertThat(seen).hasSize(1);
        MessageInfo message = seen.get(0);
        assertThat(message.direction()).isEqualTo(Direction.OUTGOING);
        assertThat(message.user()).isEqualTo("alice");
        assertThat(message.size()).isEqualTo(40);
        assertThat(message.envelope().sender()).isEqualTo("alice@example.com");
        assertThat(message.envelope().recipients()).containsExactly("bob@example.com", "carol@example.com");
    }

    @Test
    void aFilterThatFailsUnderFailClosedGivesATemporaryErrorAndSendsNothing() throws Exception {
        start("", List.of(outgoing("broken", (MessageFilterFactory) message -> headers -> {
            throw new IllegalStateException("rule exploded");
        })));
        try (RawSmtpClient client = loggedIn()) {
            assertThat(send(client, "Subject: x\r\n", "body\r\n")).startsWith("451 4.7.0");
        }
        assertThat(server.acceptedMessages()).isEmpty();
        assertThat(server.commandsSeen()).doesNotContain("DATA");
    }

    @Test
    void aFilterThatDecidesLaterHoldsTheDataUntilItHas() throws Exception {
        var later = Executors.newSingleThreadScheduledExecutor();
        try {
            start("", List.of(outgoing("slow", (MessageFilterFactory) message -> headers -> {
                headers.add("X-Checked", "later");
                CompletableFuture<Verdict> verdict = new CompletableFuture<>();
                later.schedule(() -> verdict.complete(Verdict.deliver()), 200, TimeUnit.MILLISECONDS);
                return verdict;
            })));
            String big = "0123456789abcdef".repeat(64) + "\r\n";
            try (RawSmtpClient client = loggedIn()) {
                assertThat(send(client, "Subject: slow\r\n", big.repeat(2000))).startsWith("250 ");
            }
            assertThat(new String(server.acceptedMessages().get(0), StandardCharsets.ISO_8859_1))
                    .isEqualTo("Subject: slow\r\nX-Checked: later\r\n\r\n" + big.repeat(2000));
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void aHeaderBlockOverTheLimitIsRefusedRatherThanPassedUnchecked() throws Exception {
        start("""
                filters:
                  - headers:
                      direction: outgoing
                      remove: [X-Originating-IP]
                """);
        try (RawSmtpClient client = loggedIn()) {
            String padded = "X-Padding: " + "p".repeat(3000) + "\r\nFrom: someone@else.example\r\n";
            assertThat(send(client, padded, "body\r\n")).startsWith("552 5.3.4");
            assertThat(send(client, "Subject: small\r\n", "body\r\n")).startsWith("250 ");
        }
        assertThat(server.acceptedMessages()).hasSize(1);
    }

    @Test
    void theServersRefusalOfDataIsTheClientsAnswer() throws Exception {
        start("""
                filters:
                  - headers: {direction: outgoing, remove: [X-Originating-IP]}
                """);
        server.answerData("554 5.5.1 No valid recipients (scripted)");
        try (RawSmtpClient client = loggedIn()) {
            assertThat(send(client, "Subject: x\r\n", BODY)).isEqualTo("554 5.5.1 No valid recipients (scripted)");
            assertThat(client.command("NOOP")).startsWith("250 ");
        }
        assertThat(server.acceptedMessages()).isEmpty();
        assertThat(server.commandsSeen()).containsSubsequence("DATA", "RSET");
    }

    @Test
    void aBodyWatcherThatFailsCutsTheServerOffSoNothingIsDelivered() throws Exception {
        start("", List.of(outgoing("body-scan", new MessageFilterFactory() {
            @Override
            public MessageFilter forMessage(MessageInfo message) {
                return new MessageFilter() {
                    @Override
                    public java.util.concurrent.CompletionStage<Verdict> headers(org.popbridge.filters.HeaderBlock h) {
                        return Verdict.deliver().now();
                    }

                    @Override
                    public void body(ByteBuffer chunk) {
                        if (StandardCharsets.ISO_8859_1.decode(chunk).toString().contains("VIRUS")) {
                            throw new IllegalStateException("found something");
                        }
                    }
                };
            }

            @Override
            public boolean watchesBodies() {
                return true;
            }

            @Override
            public Set<Direction> directions() {
                return Direction.both();
            }
        })));
        try (RawSmtpClient client = loggedIn()) {
            assertThat(send(client, "Subject: x\r\n", "clean line\r\n".repeat(100) + "VIRUS\r\n")).startsWith("451 4.7.0");
            assertThat(client.reply()).startsWith("421 ");
        }
        assertThat(server.acceptedMessages()).isEmpty();
    }

    @Test
    void aSessionFilterRefusesMailFromPermanentlyOrForNow() throws Exception {
        start("", List.of(outgoing("policy", (SessionFilterFactory) session -> new SessionFilter() {
            @Override
            public CommandDecision command(SessionCommand command) {
                if (!command.keyword().equals("MAIL")) {
                    return CommandDecision.allow();
                }
                if (command.arguments().contains("mallory")) {
                    return CommandDecision.refuse("Sender address <mallory@example.com> is not yours");
                }
                return command.arguments().contains("busy") ? CommandDecision.defer("Too many messages")
                        : CommandDecision.allow();
            }
        })));
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command("MAIL FROM:<mallory@example.com>"))
                    .isEqualTo("550 5.7.1 Sender address <mallory@example.com> is not yours");
            assertThat(client.command("MAIL FROM:<busy@example.com>")).isEqualTo("450 4.7.1 Too many messages");
            assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("250 ");
        }
        assertThat(server.commandsSeen()).doesNotContain("MAIL FROM:<mallory@example.com>", "MAIL FROM:<busy@example.com>");
    }

    @Test
    void theSenderPolicyRefusesAForgedEnvelopeOrFromAndLetsTheUsersOwnMailThrough() throws Exception {
        start("""
                filters:
                  - sender-policy:
                      domain: example.com
                      aliases: { alice: [sales@example.com] }
                """);
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command("MAIL FROM:<boss@example.com>"))
                    .isEqualTo("550 5.7.1 Sender address <boss@example.com> is not yours (logged in as alice)");
            assertThat(send(client, "From: Boss <boss@example.com>\r\nSubject: pay this\r\n", "now\r\n"))
                    .isEqualTo("550 5.7.1 From: address <boss@example.com> is not yours (logged in as alice)");
            assertThat(send(client, "From: Alice <alice@example.com>\r\n", "mine\r\n")).startsWith("250 ");
            client.send("MAIL FROM:<sales@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n");
            assertThat(client.reply()).startsWith("250 ");
            assertThat(client.reply()).startsWith("250 ");
            assertThat(client.reply()).startsWith("354 ");
            assertThat(client.command("From: sales@example.com\r\n\r\nalias\r\n.")).startsWith("250 ");
        }
        assertThat(server.commandsSeen()).doesNotContain("MAIL FROM:<boss@example.com>");
        assertThat(server.acceptedMessages()).hasSize(2);
    }

    @Test
    void theRateLimitDefersMailOnceTheUserHasSentTheirShare() throws Exception {
        start("""
                filters:
                  - rate-limit: { messages: 2, per: 1h }
                """);
        try (RawSmtpClient client = loggedIn()) {
            assertThat(send(client, "Subject: 1\r\n", "one\r\n")).startsWith("250 ");
            assertThat(send(client, "Subject: 2\r\n", "two\r\n")).startsWith("250 ");
            assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("450 4.7.1 ");
        }
        // The limit is the user's, not the session's.
        try (RawSmtpClient client = loggedIn()) {
            assertThat(client.command("MAIL FROM:<alice@example.com>")).startsWith("450 4.7.1 ");
        }
        assertThat(server.acceptedMessages()).hasSize(2);
    }

    @Test
    void theAuditLogHasALinePerMessageAndASummaryAndNeverThePassword() throws Exception {
        try (LogCapture audit = LogCapture.of("popbridge.audit")) {
            start("""
                    filters:
                      - log: {}
                    """);
            try (RawSmtpClient client = loggedIn()) {
                assertThat(send(client, "Subject: x\r\n", "body\r\n")).startsWith("250 ");
                assertThat(client.command("QUIT")).startsWith("221 ");
            }
            ILoggingEvent summary = audit.await(event -> event.getFormattedMessage().contains(" sent="), 5_000);
            List<String> lines = audit.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("user=alice message=sent "
                    + "sender=<alice@example.com> recipients=1 octets=20 reply=\"250 2.0.0 Ok: queued as SCRIPTED1\" "
                    + "queue_id=SCRIPTED1"));
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("command=\"AUTH PLAIN ****\" status=235"));
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("command=DATA status=354"));
            assertThat(summary.getFormattedMessage()).contains("user=alice", "commands=", "sent=1", "end=QUIT")
                    .doesNotContain("retrieved=");
            String encoded = java.util.Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(String.join("\n", lines)).doesNotContain(PASSWORD).doesNotContain(encoded);
        }
    }

    private static FilterChain.Entry outgoing(String name, ConfiguredFilter filter) {
        ConfiguredFilter twoWay = filter instanceof MessageFilterFactory message && !(filter instanceof SessionFilterFactory)
                && message.directions().equals(Set.of(Direction.INCOMING)) ? new TwoWay(message) : filter;
        if (filter instanceof SessionFilterFactory session) {
            twoWay = new TwoWaySessions(session);
        }
        return new FilterChain.Entry(name, twoWay, Set.of(Direction.OUTGOING));
    }

    /** A test filter as one that may act on mail sent. */
    private record TwoWay(MessageFilterFactory inner) implements MessageFilterFactory {
        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return inner.forMessage(message);
        }

        @Override
        public Set<Direction> directions() {
            return Direction.both();
        }
    }

    private record TwoWaySessions(SessionFilterFactory inner) implements SessionFilterFactory {
        @Override
        public SessionFilter forSession(SessionInfo session) {
            return inner.forSession(session);
        }

        @Override
        public Set<Direction> directions() {
            return Direction.both();
        }
    }
}
