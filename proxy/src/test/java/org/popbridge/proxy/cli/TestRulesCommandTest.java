package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code popbridge test-rules}: the configured chain over saved messages, with the test-only filters. */
class TestRulesCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PopbridgeCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("popbridge.yaml"), yaml);
    }

    private Path message(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void eachMessageShowsItsFateFindingsAndTheHeadersTheClientGets() throws IOException {
        Path config = config("""
                filters:
                  - test-stamp: { header: X-Checked, value: "yes" }
                  - test-regex:
                      rules:
                        - { header: Subject, regex: "(?i)lottery" }
                """);
        Path lf = message("lottery.eml", "From: a@spam.example\nSubject: You won the LOTTERY\n\nClaim it now.\n");
        Path crlf = message("clean.eml", "From: b@example.org\r\nSubject: Minutes\r\n\r\nAttached.\r\n");

        Run run = execute("test-rules", "--config", config.toString(), lf.toString(), crlf.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        // 65 octets in the file, 69 on the wire: each of the four bare LFs counts as CRLF.
        assertThat(run.out()).isEqualTo(lf + ": deliver" + nl()
                + "  test-stamp: added X-Checked to a message of 69 octets" + nl()
                + "  test-regex: Subject matches (?i)lottery" + nl()
                + "From: a@spam.example\nSubject: You won the LOTTERY\nX-Checked: yes\n\n"
                + crlf + ": deliver" + nl()
                + "  test-stamp: added X-Checked to a message of 52 octets" + nl()
                + "From: b@example.org\r\nSubject: Minutes\r\nX-Checked: yes\r\n\r\n");
    }

    @Test
    void aHiddenMessageIsShownAsHiddenWithoutHeaders() throws IOException {
        Path config = config("filters:\n  - test-flag-hide: { flag: X-Junk }\n  - test-stamp: { header: X-After }\n");
        Path junk = message("junk.eml", "X-Junk: 1\nSubject: hi\n\nbody\n");

        Run run = execute("test-rules", "--config", config.toString(), junk.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(junk + ": HIDE" + nl()
                + "  test-flag-hide: flagged by X-Junk" + nl()
                + "  (the client does not see this message; it stays upstream)" + nl() + nl());
    }

    @Test
    void aFailingFilterIsSkippedWhenOpenAndRefusesTheMessageWhenClosed() throws IOException {
        Path message = message("m.eml", "Subject: hi\n\nbody\n");
        String filters = """
                filters:
                  - test-fail: {}
                  - test-stamp: { header: X-After }
                """;

        Run open = execute("test-rules", "--config", config(filters).toString(), message.toString());

        assertThat(open.status()).isZero();
        assertThat(open.out()).isEqualTo(message + ": deliver" + nl()
                + "  test-stamp: added X-After to a message of 21 octets" + nl()
                + "  failed: test-fail failed: IllegalStateException: broken on purpose" + nl()
                + "Subject: hi\nX-After: stamped\n\n");

        Run closed = execute("test-rules", "--config", config("filtering:\n  on-failure: closed\n" + filters).toString(),
                message.toString());

        assertThat(closed.status()).isZero();
        assertThat(closed.out()).isEqualTo(message + ": REFUSED" + nl()
                + "  failed: test-fail failed: IllegalStateException: broken on purpose" + nl()
                + "  (the client gets -ERR for RETR and TOP of this message)" + nl() + nl());
    }

    @Test
    void aHeaderBlockOverTheLimitPassesUnfiltered() throws IOException {
        Path config = config("filtering:\n  header-limit: 1KB\nfilters:\n  - test-stamp: { header: X-Checked }\n");
        String longHeaders = "Subject: hi\r\nX-Padding: " + "x".repeat(1000) + "\r\n\r\n";
        Path big = message("big.eml", longHeaders + "body\r\n");

        Run run = execute("test-rules", "--config", config.toString(), big.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(big + ": deliver" + nl()
                + "  not filtered: the header block is 1028 octets, over header-limit 1KB" + nl()
                + longHeaders);
    }

    @Test
    void aMessageThatIsOnlyHeadersStillEndsItsEntry() throws IOException {
        Path config = config("filters:\n  - test-stamp: { header: X-Checked }\n");
        Path cut = message("cut.eml", "Subject: hi");

        Run run = execute("test-rules", "--config", config.toString(), cut.toString());

        assertThat(run.out()).isEqualTo(cut + ": deliver" + nl()
                + "  test-stamp: added X-Checked to a message of 11 octets" + nl()
                + "Subject: hi\r\nX-Checked: stamped\r\n" + nl());
    }

    @Test
    void anUnreadableMessageIsNamedAndTheOthersAreStillProcessed() throws IOException {
        Path config = config("filters:\n  - test-stamp: { header: X-Checked }\n");
        Path missing = dir.resolve("missing.eml");
        Path present = message("present.eml", "Subject: hi\n\n");

        Run run = execute("test-rules", "--config", config.toString(), missing.toString(), present.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("popbridge: " + missing + ": cannot read: no such file" + nl());
        assertThat(run.out()).startsWith(present + ": deliver" + nl());
    }

    @Test
    void aRuleMistakeExitsWithStatus2AndItsPlaceInTheConfig() throws IOException {
        Path config = config("""
                filters:
                  - test-regex:
                      rules:
                        - { header: Subject, regex: "[lottery" }
                """);
        Path message = message("m.eml", "Subject: hi\n\n");

        Run run = execute("test-rules", "--config", config.toString(), message.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("popbridge: " + config + ":4: key 'filters[0].test-regex.rules[0].regex': "
                + "is not a regular expression: Unclosed character class" + nl());
    }

    @Test
    void withoutConfigOrMessagesItIsAUsageError() throws IOException {
        Path message = message("m.eml", "Subject: hi\n\n");

        Run noConfig = execute("test-rules", message.toString());
        Run noMessage = execute("test-rules", "--config", config("filters: []\n").toString());

        assertThat(noConfig.status()).isEqualTo(2);
        assertThat(noConfig.err()).startsWith("Missing required option: '--config=FILE'");
        assertThat(noMessage.status()).isEqualTo(2);
        assertThat(noMessage.err()).startsWith("Missing required parameter: 'MESSAGE'");
    }

    @Test
    void aConfigWithoutFiltersSaysSoAndPassesMessagesUnchanged() throws IOException {
        Path config = config("upstream: pop3s://mail.example.com\n");
        Path message = message("m.eml", "Subject: hi\r\n\r\nbody\r\n");

        Run run = execute("test-rules", "--config", config.toString(), message.toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEqualTo("popbridge: " + config + " has no filters that look at incoming messages; "
                + "they pass unchanged" + nl());
        assertThat(run.out()).isEqualTo(message + ": deliver" + nl() + "Subject: hi\r\n\r\n");
    }

    @Test
    void outgoingRunsOnlyTheFiltersForMailSentAndSaysSend() throws IOException {
        Path config = config("""
                filters:
                  - test-stamp: { header: X-Read }
                  - headers: { direction: outgoing, remove: [X-Originating-IP] }
                """);
        Path sent = message("sent.eml", "From: alice@example.com\r\nX-Originating-IP: [10.1.2.3]\r\n\r\nhi\r\n");

        Run run = execute("test-rules", "--config", config.toString(), "--outgoing", "--user", "alice@example.com",
                "--recipient", "bob@example.org", sent.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(sent + ": send" + nl()
                + "  headers: removed X-Originating-IP (1)" + nl()
                + "From: alice@example.com\r\n\r\n");
    }

    @Test
    void filtersForMailSentDoNotRunOnMailRead() throws IOException {
        Path config = config("filters:\n  - headers: { direction: outgoing, remove: [X-Originating-IP] }\n");
        Path read = message("read.eml", "X-Originating-IP: [10.1.2.3]\r\n\r\nhi\r\n");

        Run run = execute("test-rules", "--config", config.toString(), read.toString());

        assertThat(run.err()).contains("has no filters that look at incoming messages");
        assertThat(run.out()).isEqualTo(read + ": deliver" + nl() + "X-Originating-IP: [10.1.2.3]\r\n\r\n");
    }

    @Test
    void anOutgoingHeaderBlockOverTheLimitIsRefused() throws IOException {
        Path config = config("filtering:\n  header-limit: 1KB\nfilters:\n"
                + "  - headers: { direction: outgoing, remove: [X-A] }\n");
        Path big = message("big.eml", "Subject: hi\r\nX-Padding: " + "x".repeat(1000) + "\r\n\r\nbody\r\n");

        Run run = execute("test-rules", "--config", config.toString(), "--outgoing", "--user", "alice", big.toString());

        assertThat(run.out()).isEqualTo(big + ": REFUSED" + nl()
                + "  the header block is 1028 octets, over header-limit 1KB" + nl()
                + "  (the client gets \"552 5.3.4 Header block too long to check (limit 1024 octets)\"; nothing is sent)"
                + nl() + nl());
    }

    @Test
    void theSenderPolicyRefusesAForgedFromWithTheReplyTheRelayGives() throws IOException {
        Path config = config("filters:\n  - sender-policy: { domain: example.com }\n");
        Path forged = message("forged.eml", "From: Boss <boss@example.com>\r\nSubject: pay\r\n\r\nnow\r\n");
        Path own = message("own.eml", "From: alice@example.com\r\n\r\nhi\r\n");

        Run headersOnly = execute("test-rules", "--config", config.toString(), "--outgoing", "--user", "alice",
                forged.toString(), own.toString());
        Run withEnvelope = execute("test-rules", "--config", config.toString(), "--outgoing", "--user", "alice",
                "--sender", "boss@example.com", own.toString());

        assertThat(headersOnly.status()).isZero();
        assertThat(headersOnly.out()).startsWith(forged + ": REFUSED" + nl())
                .contains("  (the client gets \"550 5.7.1 From: address <boss@example.com> is not yours "
                        + "(logged in as alice)\" for its message; nothing is sent)")
                .contains(own + ": send" + nl());
        assertThat(withEnvelope.out()).startsWith(own + ": REFUSED" + nl())
                .contains("550 5.7.1 Sender address <boss@example.com> is not yours (logged in as alice)");
    }

    @Test
    void theEnvelopeOptionsNeedOutgoingAndOutgoingNeedsAUser() throws IOException {
        Path config = config("filters:\n  - headers: { direction: outgoing, remove: [X-A] }\n");
        Path message = message("m.eml", "Subject: hi\r\n\r\nbody\r\n");

        Run envelopeOnly = execute("test-rules", "--config", config.toString(), "--user", "alice", message.toString());
        Run noUser = execute("test-rules", "--config", config.toString(), "--outgoing", message.toString());

        assertThat(envelopeOnly.status()).isEqualTo(2);
        assertThat(envelopeOnly.err()).contains("add --outgoing");
        assertThat(noUser.status()).isEqualTo(2);
        assertThat(noUser.err()).contains("--outgoing needs --user");
        assertThat(envelopeOnly.out() + noUser.out()).isEmpty();
    }

    private static String nl() {
        return System.lineSeparator();
    }
}
