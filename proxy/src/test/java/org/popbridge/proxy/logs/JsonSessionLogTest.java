package org.popbridge.proxy.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.netty.util.NettyRuntime;
import io.netty.util.internal.SystemPropertyUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.core.session.SessionLog;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.RenderedLog;
import org.slf4j.LoggerFactory;

/**
 * Full POP3 and SMTP sessions through the proxy, logged at DEBUG in the JSON format: every line
 * is one JSON object, and every line about a session carries that session's fields (session,
 * client, listener, user, route) and no other session's, though many sessions share a thread.
 */
class JsonSessionLogTest {

    /** "[id] ..." of the session log, "session=id ..." of the audit log. */
    private static final Pattern NAMED_SESSION = Pattern.compile("^(?:\\[([0-9a-f]+)\\] |session=([0-9a-f]+) )");

    @TempDir
    Path stateDir;

    private GreenMail mailServer;
    private ProxyFixture proxy;
    private RenderedLog log;
    private Logger root;
    private Level previousLevel;

    @BeforeEach
    void start() throws Exception {
        mailServer = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()});
        mailServer.start();
        String yaml = """
                listen: [pop3://127.0.0.1:0, smtp://127.0.0.1:0]
                upstream: pop3://127.0.0.1:%d
                submission: smtp://127.0.0.1:%d
                state-dir: %s
                filters:
                  - log: {}
                """.formatted(mailServer.getPop3().getPort(), mailServer.getSmtp().getPort(), stateDir);
        PopbridgeConfig config = new ConfigLoader().load(Path.of("json.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        proxy = ProxyFixture.start(config);
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        // From here on, only sessions log.
        log = RenderedLog.everything(LogFormat.JSON);
    }

    @AfterEach
    void stop() throws Exception {
        log.close();
        root.setLevel(previousLevel);
        proxy.close();
        mailServer.stop();
    }

    @Test
    void interleavedPop3SessionsLogOnlyTheirOwnFields() throws Exception {
        // More sessions than event loops: round-robin puts at least two on one thread.
        int loops = SystemPropertyUtil.getInt("io.netty.eventLoopThreads", NettyRuntime.availableProcessors() * 2);
        int sessions = Math.max(4, loops + 2);
        List<RawPop3Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                mailServer.setUser("user" + i + "@localhost", "user" + i, "secret-" + i);
                GreenMailUtil.sendTextEmail("user" + i + "@localhost", "from@localhost", "for " + i, "body " + i,
                        mailServer.getSmtp().getServerSetup());
                RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
                RawPop3Client.expectOk(client.readLine());
                clients.add(client);
            }
            // One command of each session in turn, so their lines interleave on the shared loops.
            for (int i = 0; i < sessions; i++) {
                RawPop3Client.expectOk(clients.get(i).command("USER user" + i));
            }
            for (int i = 0; i < sessions; i++) {
                RawPop3Client.expectOk(clients.get(i).command("PASS secret-" + i));
            }
            for (String command : List.of("STAT", "LIST", "UIDL", "TOP 1 0", "NOOP")) {
                for (RawPop3Client client : clients) {
                    client.send(command);
                    String reply = RawPop3Client.expectOk(client.readLine());
                    if (!command.equals("STAT") && !command.equals("NOOP")) {
                        client.readBody();
                    }
                    assertThat(reply).startsWith("+OK");
                }
            }
            for (RawPop3Client client : clients) {
                RawPop3Client.expectOk(client.command("RETR 1"));
                assertThat(new String(client.readBody(), StandardCharsets.UTF_8)).contains("body ");
            }
            for (RawPop3Client client : clients) {
                RawPop3Client.expectOk(client.command("QUIT"));
            }
        } finally {
            for (RawPop3Client client : clients) {
                client.close();
            }
        }
        List<JsonNode> lines = awaitEnded(sessions, "session ended: ");

        Map<String, String> userOf = new HashMap<>();
        Map<String, Set<String>> sessionsOnThread = new HashMap<>();
        for (JsonNode line : lines) {
            JsonNode mdc = line.path("mdc");
            String session = mdc.path(SessionLog.SESSION).asText();
            assertThat(mdc.path(SessionLog.LISTENER).asText()).as("%s", line).startsWith("pop3://127.0.0.1:");
            assertThat(mdc.path(SessionLog.CLIENT).asText()).as("%s", line).startsWith("127.0.0.1:");
            if (mdc.has(SessionLog.USER)) {
                String before = userOf.putIfAbsent(session, mdc.path(SessionLog.USER).asText());
                assertThat(before == null ? mdc.path(SessionLog.USER).asText() : before)
                        .as("one user per session: %s", line).isEqualTo(mdc.path(SessionLog.USER).asText());
                // Every user is routed by the one default route.
                assertThat(mdc.path(SessionLog.ROUTE).asText()).as("%s", line).isIn("", "*");
            }
            sessionsOnThread.computeIfAbsent(line.path("threadName").asText(), thread -> new HashSet<>()).add(session);
        }
        assertThat(new HashSet<>(userOf.values())).as("users logged").hasSize(sessions);
        assertThat(sessionsOnThread.values()).as("sessions by thread: %s", sessionsOnThread)
                .anyMatch(onOneThread -> onOneThread.size() >= 2);
        // The user's own lines: "user userN logged in" is userN's session.
        for (JsonNode line : lines) {
            String message = line.path("formattedMessage").asText();
            Matcher loggedIn = Pattern.compile("user (user\\d+) logged in$").matcher(message);
            if (loggedIn.find()) {
                assertThat(line.path("mdc").path(SessionLog.USER).asText()).as(message).isEqualTo(loggedIn.group(1));
            }
        }
    }

    @Test
    void aFullSmtpSessionLogsJsonLinesWithItsFields() throws Exception {
        mailServer.setUser("alice@localhost", "alice", "alice-Secret-1");
        try (RawSmtpClient client = RawSmtpClient.plain(proxy.address(1).getPort())) {
            assertThat(client.logIn("alice", "alice-Secret-1")).startsWith("235");
            assertThat(client.command("MAIL FROM:<alice@localhost>")).startsWith("250");
            assertThat(client.command("RCPT TO:<bob@localhost>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            client.send("Subject: json\r\n\r\nhello\r\n.\r\n");
            assertThat(client.reply()).startsWith("250");
            assertThat(client.command("QUIT")).startsWith("221");
        }
        List<JsonNode> lines = awaitEnded(1, "session ended (user alice)");

        assertThat(lines).extracting(line -> line.path("mdc").path(SessionLog.SESSION).asText()).containsOnly(
                lines.get(0).path("mdc").path(SessionLog.SESSION).asText());
        assertThat(lines).allSatisfy(line -> assertThat(line.path("mdc").path(SessionLog.LISTENER).asText())
                .startsWith("smtp://127.0.0.1:"));
        assertThat(lines).as("the relayed commands, at DEBUG").anyMatch(line -> line.path("formattedMessage").asText()
                .endsWith("C: RCPT TO:<bob@localhost>"));
        // The session's line and the submission relay's, on the server's connection.
        assertThat(lines).filteredOn(line -> line.path("formattedMessage").asText().contains("logged in at"))
                .hasSize(2).allSatisfy(line -> assertThat(line.path("mdc").path(SessionLog.USER).asText())
                        .isEqualTo("alice"));
        assertThat(log.lines()).noneMatch(line -> line.contains("alice-Secret-1"));
    }

    /**
     * Waits until {@code sessions} lines containing {@code ended} were written; checks that every
     * line is a JSON object on a line of its own with the basic fields, and that every one from
     * popbridge names the session whose fields it carries. Returns popbridge's lines.
     */
    private List<JsonNode> awaitEnded(int sessions, String ended) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (log.lines().stream().filter(line -> line.contains(ended)).count() < sessions
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        List<String> raw = log.lines();
        assertThat(raw.stream().filter(line -> line.contains(ended))).hasSize(sessions);
        List<JsonNode> popbridge = new ArrayList<>();
        for (String text : raw) {
            assertThat(text).as("one object a line").endsWith("\n").doesNotContain("\r").satisfies(
                    line -> assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1));
            JsonNode line = RenderedLog.parse(text);
            assertThat(line.path("timestamp").isNumber()).as(text).isTrue();
            assertThat(line.path("level").asText()).as(text).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("formattedMessage").isTextual()).as(text).isTrue();
            String logger = line.path("loggerName").asText();
            if (!logger.startsWith("org.popbridge.") && !logger.startsWith("popbridge.")) {
                continue;
            }
            String session = line.path("mdc").path(SessionLog.SESSION).asText();
            assertThat(session).as("the session id of %s", text).isNotEmpty();
            Matcher named = NAMED_SESSION.matcher(line.path("formattedMessage").asText());
            if (named.find()) {
                assertThat(named.group(1) != null ? named.group(1) : named.group(2)).as(text).isEqualTo(session);
            }
            popbridge.add(line);
        }
        assertThat(popbridge).as("popbridge logged the sessions").isNotEmpty();
        return popbridge;
    }
}
