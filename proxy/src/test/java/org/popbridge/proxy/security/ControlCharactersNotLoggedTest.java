package org.popbridge.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.RawSmtpClient;
import org.popbridge.proxy.testing.RenderedLog;
import org.popbridge.proxy.testing.ScriptedPop3Server;
import org.popbridge.proxy.testing.ScriptedSmtpServer;
import org.slf4j.LoggerFactory;

/**
 * Issue 12: what a client sends reaches the log escaped. A user name that sets the terminal's
 * title and clears its screen (OSC, BEL, ESC [2J, a C1 CSI and DEL), given without ever logging
 * in, must not do so to an admin running {@code tail -f} on the log.
 */
class ControlCharactersNotLoggedTest {

    /** OSC 0 (set title) ended by BEL, then CSI 2J (clear screen), a C1 CSI (0x9B) and DEL. */
    private static final String HOSTILE_USER = "\u001b]0;pwned\u0007\u001b[2J\u009b31m\u007f";
    /** How LogText shows it. */
    private static final String ESCAPED_USER = "\\e]0;pwned\\x07\\e[2J\\x9b31m\\x7f";

    @TempDir
    Path stateDir;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private RenderedLog json;
    private Logger popbridge;
    private Level previousLevel;

    @BeforeEach
    void capture() {
        popbridge = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.popbridge");
        previousLevel = popbridge.getLevel();
        popbridge.setLevel(Level.TRACE);
        captured.start();
        popbridge.addAppender(captured);
        json = RenderedLog.everything(LogFormat.JSON);
    }

    @AfterEach
    void restore() {
        popbridge.detachAppender(captured);
        json.close();
        popbridge.setLevel(previousLevel);
    }

    @Test
    void aPop3UserNameWithTerminalEscapesIsLoggedEscaped() throws Exception {
        try (ScriptedPop3Server upstream = new ScriptedPop3Server("alice", "secret", List.of());
                ProxyFixture proxy = ProxyFixture.inFrontOf(upstream.port(), stateDir)) {
            try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
                RawPop3Client.expectOk(client.readLine());
                // Sent as ISO-8859-1: the C1 CSI is the octet 0x9B.
                RawPop3Client.expectOk(client.command("USER " + HOSTILE_USER));
                assertThat(client.command("PASS wrong")).startsWith("-ERR");
                RawPop3Client.expectOk(client.command("QUIT"));
            }
            assertThat(upstream.awaitSessionsEnded(1, 10_000)).isTrue();
        }
        assertNoControlCharacters();
        assertThat(infoLines()).anyMatch(line -> line.contains("session ended: user=" + ESCAPED_USER + " "));
        assertThat(captured.list).anyMatch(event -> event.getLevel() == Level.DEBUG
                && event.getFormattedMessage().endsWith("C: USER " + ESCAPED_USER));
    }

    @Test
    void anSmtpUserNameWithTerminalEscapesIsLoggedEscaped() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("alice", "secret")) {
            String yaml = """
                    listen: [smtp://127.0.0.1:0]
                    submission: smtp://127.0.0.1:%d
                    state-dir: %s
                    """.formatted(server.port(), stateDir);
            PopbridgeConfig config = new ConfigLoader().load(Path.of("smtp.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
            try (ProxyFixture proxy = ProxyFixture.start(config);
                    RawSmtpClient client = RawSmtpClient.plain(proxy.address(0).getPort())) {
                // AUTH PLAIN's user name is UTF-8: the C1 CSI is U+009B.
                assertThat(client.logIn(HOSTILE_USER, "wrong")).startsWith("535 ");
                assertThat(client.command("EHLO \u001b[2J" + "x".repeat(500))).startsWith("250");
                assertThat(client.command("QUIT")).startsWith("221 ");
            }
        }
        assertNoControlCharacters();
        // Credentials keep the client's octets, one char each (as POP3's USER does): U+009B's
        // UTF-8 octets C2 9B show as "\u00c2" and an escaped "\x9b".
        assertThat(infoLines()).anyMatch(line -> line.contains("login of user "
                + ESCAPED_USER.replace("\\x9b", "\u00c2\\x9b") + " refused by"));
        // A long line is cut, and says by how much.
        assertThat(captured.list).anyMatch(event -> event.getFormattedMessage().contains("C: EHLO \\e[2Jxxx")
                && event.getFormattedMessage().endsWith("…(309 more)"));
    }

    private List<String> infoLines() {
        return captured.list.stream().filter(event -> event.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void assertNoControlCharacters() {
        assertThat(captured.list).as("the proxy logged at all").isNotEmpty();
        // INFO and above first: those are what an admin tails.
        List<ILoggingEvent> events = captured.list.stream()
                .sorted(Comparator.comparing((ILoggingEvent event) -> event.getLevel().toInt()).reversed()).toList();
        for (ILoggingEvent event : events) {
            String text = event.getFormattedMessage();
            assertThat(text.chars().filter(ControlCharactersNotLoggedTest::isControl))
                    .as("control characters in %s line: %s", event.getLevel(), text).isEmpty();
        }
        // The JSON format: a reader decodes "\u001b" back to ESC, so the decoded values must hold none
        // either, the user field included; the line as written holds none but its end.
        assertThat(json.lines()).as("the proxy logged JSON at all").isNotEmpty();
        assertThat(json.lines()).anyMatch(line -> line.contains("\"user\":"));
        for (String line : json.lines()) {
            assertThat(line.substring(0, line.length() - 1).chars().filter(ControlCharactersNotLoggedTest::isControl))
                    .as("control characters in JSON line: %s", line).isEmpty();
            List<String> values = new java.util.ArrayList<>();
            collectText(RenderedLog.parse(line), values);
            for (String value : values) {
                assertThat(value.chars().filter(ControlCharactersNotLoggedTest::isControl))
                        .as("control characters in a field of JSON line: %s", line).isEmpty();
            }
        }
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
    }

    private static void collectText(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        }
        node.forEach(child -> collectText(child, into));
    }
}
