package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.ImapOptions;
import org.popbridge.proxy.core.upstream.UidlFormat;
import org.popbridge.proxy.core.upstream.UpstreamScheme;

/** The IMAP-only upstream keys: folder, mark-seen, without-uidplus, move-to, uidl-format. */
class ImapUpstreamConfigTest {

    @TempDir
    Path dir;

    private UpstreamConfig upstream(String yaml) throws Exception {
        return new ConfigLoader().load(ConfigFiles.write(dir, yaml)).upstream();
    }

    @Test
    void everyImapKeyBinds() throws Exception {
        UpstreamConfig upstream = upstream("""
                upstream:
                  url: imaps://imap.example.com
                  ca: /etc/popbridge/upstream-ca.pem
                  reply-timeout: 2m
                  folder: Archive/2024
                  mark-seen: false
                  without-uidplus: move
                  move-to: Trash
                """);

        assertThat(upstream).isEqualTo(new UpstreamConfig(UpstreamScheme.IMAPS, "imap.example.com", 993,
                Path.of("/etc/popbridge/upstream-ca.pem"), false, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMinutes(2), new ImapOptions("Archive/2024", false, CommitFallback.moveTo("Trash"))));
        assertThat(upstream.speaksImap()).isTrue();
    }

    @Test
    void anImapObjectWithoutImapKeysTakesTheDefaults() throws Exception {
        UpstreamConfig upstream = upstream("upstream:\n  url: imap+starttls://imap.example.com\n  connect-timeout: 3s\n");

        assertThat(upstream.imap()).isEqualTo(ImapOptions.defaults());
        assertThat(upstream.imap().folder()).isEqualTo("INBOX");
        assertThat(upstream.imap().markSeen()).isTrue();
        assertThat(upstream.imap().withoutUidplus()).isEqualTo(CommitFallback.flagOnly());
    }

    @Test
    void withoutUidplusFlagIsTheDefaultWrittenOut() throws Exception {
        assertThat(upstream("upstream:\n  url: imaps://imap.example.com\n  without-uidplus: Flag\n").imap())
                .isEqualTo(ImapOptions.defaults());
    }

    @Test
    void aPop3UpstreamHasNoImapSettings() throws Exception {
        UpstreamConfig upstream = upstream("upstream:\n  url: pop3s://mail.example.com\n  reply-timeout: 30s\n");

        assertThat(upstream.imap()).isNull();
        assertThat(upstream.speaksImap()).isFalse();
    }

    @Test
    void aCommandLineImapUrlOverAFilesPop3UpstreamGetsTheImapDefaults() throws Exception {
        UpstreamConfig fromFile = upstream("upstream:\n  url: pop3s://mail.example.com\n  ca: /etc/ca.pem\n");

        UpstreamConfig overridden = fromFile.withUrl("imaps://imap.example.com");

        assertThat(overridden.url()).isEqualTo("imaps://imap.example.com:993");
        assertThat(overridden.ca()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(overridden.imap()).isEqualTo(ImapOptions.defaults());
    }

    @Test
    void aCommandLineImapUrlOverAFilesImapUpstreamKeepsItsFolderAndFallback() throws Exception {
        UpstreamConfig fromFile = upstream("""
                upstream:
                  url: imaps://old.example.com
                  folder: Shared
                  without-uidplus: move
                  move-to: Deleted
                """);

        UpstreamConfig overridden = fromFile.withUrl("imap+starttls://new.example.com:1143");

        assertThat(overridden.url()).isEqualTo("imap+starttls://new.example.com:1143");
        assertThat(overridden.imap()).isEqualTo(new ImapOptions("Shared", true, CommitFallback.moveTo("Deleted")));
    }

    @Test
    void aCommandLinePop3UrlOverAFilesImapUpstreamDropsTheImapSettings() throws Exception {
        UpstreamConfig fromFile = upstream("upstream:\n  url: imaps://imap.example.com\n  folder: Shared\n");

        UpstreamConfig overridden = fromFile.withUrl("pop3s://pop.example.com");

        assertThat(overridden.url()).isEqualTo("pop3s://pop.example.com:995");
        assertThat(overridden.imap()).isNull();
        assertThat(overridden.withUrl("imaps://imap.example.com").imap()).isEqualTo(ImapOptions.defaults());
    }

    @Test
    void caAndInsecureKeepTheImapSettings() throws Exception {
        UpstreamConfig fromFile = upstream("upstream:\n  url: imaps://imap.example.com\n  mark-seen: false\n");

        assertThat(fromFile.withCa(Path.of("/tmp/ca.pem")).withInsecure(true).imap().markSeen()).isFalse();
    }

    @Test
    void imapSettingsOnAPop3UpstreamCannotBeBuiltInCodeEither() {
        assertThatThrownBy(() -> new UpstreamConfig(UpstreamScheme.POP3S, "mail.example.com", 995, null, false,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), ImapOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamConfig(UpstreamScheme.IMAPS, "imap.example.com", 993, null, false,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Each case: the file, then the message after "FILE:" — the line, the key and the problem. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a folder on a POP3 upstream", """
                        upstream:
                          url: pop3s://mail.example.com
                          folder: INBOX
                        """,
                        "3: key 'upstream.folder': only for an imap upstream; pop3s://mail.example.com:995 speaks POP3"),
                Arguments.of("mark-seen on a POP3 upstream", """
                        upstream:
                          url: pop3+stls://mail.example.com
                          reply-timeout: 30s
                          mark-seen: false
                        """,
                        "4: key 'upstream.mark-seen': only for an imap upstream; pop3+stls://mail.example.com:110 "
                                + "speaks POP3"),
                Arguments.of("without-uidplus on a POP3 upstream", """
                        upstream:
                          url: pop3://127.0.0.1:1110
                          without-uidplus: flag
                        """,
                        "3: key 'upstream.without-uidplus': only for an imap upstream; pop3://127.0.0.1:1110 speaks POP3"),
                Arguments.of("move-to on a POP3 upstream", """
                        upstream:
                          url: pop3s://mail.example.com
                          move-to: Trash
                        """,
                        "3: key 'upstream.move-to': only for an imap upstream; pop3s://mail.example.com:995 speaks POP3"),
                Arguments.of("move without move-to", """
                        upstream:
                          url: imaps://imap.example.com
                          without-uidplus: move
                        """,
                        "3: key 'upstream.without-uidplus': move needs move-to: the folder deleted messages go to"),
                Arguments.of("move-to without move", """
                        upstream:
                          url: imaps://imap.example.com
                          move-to: Trash
                        """,
                        "3: key 'upstream.move-to': only with without-uidplus: move"),
                Arguments.of("move-to with without-uidplus: flag", """
                        upstream:
                          url: imaps://imap.example.com
                          without-uidplus: flag
                          move-to: Trash
                        """,
                        "4: key 'upstream.move-to': only with without-uidplus: move"),
                Arguments.of("an unknown fallback", """
                        upstream:
                          url: imaps://imap.example.com
                          without-uidplus: expunge
                        """,
                        "3: key 'upstream.without-uidplus': unknown value 'expunge' (use flag or move)"),
                Arguments.of("moving deleted mail into the maildrop itself", """
                        upstream:
                          url: imaps://imap.example.com
                          without-uidplus: move
                          move-to: inbox
                        """,
                        "4: key 'upstream.move-to': 'inbox' is the folder read as the maildrop; "
                                + "deleted messages would stay where they are"),
                Arguments.of("an empty folder", """
                        upstream:
                          url: imaps://imap.example.com
                          folder: ""
                        """,
                        "3: key 'upstream.folder': must not be empty"),
                Arguments.of("a folder with a line break", """
                        upstream:
                          url: imaps://imap.example.com
                          folder: "INBOX\\r\\nA1 DELETE INBOX"
                        """,
                        "3: key 'upstream.folder': must not contain control characters"),
                Arguments.of("mark-seen that is not true or false", """
                        upstream:
                          url: imaps://imap.example.com
                          mark-seen: sometimes
                        """,
                        "3: key 'upstream.mark-seen': expected true or false, got 'sometimes'"),
                Arguments.of("uidl-format on a POP3 upstream", """
                        upstream:
                          url: pop3s://mail.example.com
                          uidl-format: "%08Xu%08Xv"
                        """,
                        "3: key 'upstream.uidl-format': only for an imap upstream; pop3s://mail.example.com:995 speaks POP3"),
                Arguments.of("uidl-format with a variable IMAP cannot fill", """
                        upstream:
                          url: imaps://imap.example.com
                          uidl-format: "%m"
                        """,
                        "3: key 'upstream.uidl-format': '%m': %m (a digest of the header) cannot be computed from IMAP; "
                                + "only %u (UID) and %v (UIDVALIDITY)"));
    }

    @Test
    void uidlFormatBindsInAnUpstreamAndARoute() throws Exception {
        PopbridgeConfig config = new ConfigLoader().load(ConfigFiles.write(dir, """
                upstream:
                  url: imaps://imap.example.com
                  uidl-format: "%08Xu%08Xv"
                routes:
                  - match: "*@old.example.com"
                    upstream: imaps://imap.old.example.com
                """));
        assertThat(config.upstream().imap().uidlFormat().uidl(0x6b143541L, 1)).isEqualTo("000000016b143541");
        assertThat(config.routes().get(0).upstream().imap().uidlFormat()).isEqualTo(UidlFormat.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineKeyAndProblem(String mistake, String yaml, String expected) throws IOException {
        ConfigFiles.assertMistake(dir, yaml, expected);
    }
}
