package org.popbridge.proxy.filtering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.VerdictCache;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.MessageSource;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedPop3Server;

/** Sessions with message filters on, against a scripted RFC 1939 upstream. */
class FilteredSessionTest {

    private static final long WAIT_MS = 10_000;
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private static final String PLAIN = "From: a@example.org\r\nSubject: hello\r\n\r\nline one\r\n.dot line\r\n";
    private static final String SPAM = "From: b@spam.example\r\nSubject: hide me now\r\n\r\nbuy\r\n";
    private static final String OTHER = "From: c@example.org\r\nSubject: also hide me\r\n\r\nmore\r\n";
    private static final String LAST = "From: d@example.org\r\nSubject: last one\r\n\r\nbye\r\n";

    @TempDir
    Path stateDir;

    private ScriptedPop3Server upstream;
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void start(MessageFiltering filtering, String... messages) throws Exception {
        List<MessageSource> mailbox = new ArrayList<>();
        for (String message : messages) {
            mailbox.add(MessageSource.of(message));
        }
        upstream = new ScriptedPop3Server("alice", "secret", mailbox);
        proxy = ProxyFixture.filtering(upstream.port(), stateDir, filtering);
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "secret");
    }

    /** The message as the client receives it: status line, then the unstuffed body. */
    private static String retrieve(RawPop3Client client, String command) throws Exception {
        String status = RawPop3Client.expectOk(client.command(command));
        return status + "\n" + new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
    }

    private static String body(String retrieved) {
        return retrieved.substring(retrieved.indexOf('\n') + 1);
    }

    private static List<String> listing(RawPop3Client client, String command) throws Exception {
        RawPop3Client.expectOk(client.command(command));
        List<String> lines = new ArrayList<>();
        for (String line = client.readLine(); !line.equals("."); line = client.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void editedHeadersReachTheClientAndTheBodyIsByteExact() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", new TestFilters.Stamp()),
                false), PLAIN);
        try (RawPop3Client client = loggedIn()) {
            String retrieved = retrieve(client, "RETR 1");
            assertThat(body(retrieved)).isEqualTo(
                    "From: a@example.org\r\nSubject: hello\r\nX-Stamp: popbridge\r\n\r\nline one\r\n.dot line\r\n");
        }
    }

    @Test
    void listAndStatReportTheOctetsTheClientReceives() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", new TestFilters.Stamp()),
                true), PLAIN, LAST);
        try (RawPop3Client client = loggedIn()) {
            List<String> sizes = listing(client, "LIST");
            long total = 0;
            for (int n = 1; n <= 2; n++) {
                String retrieved = retrieve(client, "RETR " + n);
                int received = body(retrieved).getBytes(StandardCharsets.ISO_8859_1).length;
                total += received;
                assertThat(sizes.get(n - 1)).isEqualTo(n + " " + received);
                assertThat(client.command("LIST " + n)).isEqualTo("+OK " + n + " " + received);
                // The scripted upstream says "+OK <size> octets": the count follows the filters.
                assertThat(retrieved).startsWith("+OK " + received + " octets");
            }
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + total);
        }
    }

    @Test
    void withoutTheLoginScanListGivesTheUpstreamSizeUntilTheMessageIsRead() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", new TestFilters.Stamp()),
                false), PLAIN);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("LIST 1")).isEqualTo("+OK 1 " + PLAIN.length());
            String retrieved = retrieve(client, "RETR 1");
            assertThat(client.command("LIST 1")).isEqualTo("+OK 1 " + body(retrieved).length());
        }
        assertThat(upstream.commandsSeen()).noneMatch(line -> line.startsWith("TOP"));
    }

    @Test
    void topAndRetrShowTheSameHeadersAndTheChainRunsOncePerMessage() throws Exception {
        TestFilters.Stamp stamp = new TestFilters.Stamp();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", stamp), false), PLAIN);
        try (RawPop3Client client = loggedIn()) {
            String top = body(retrieve(client, "TOP 1 0"));
            String retr = body(retrieve(client, "RETR 1"));
            assertThat(retr).startsWith(top);
            assertThat(top).contains("X-Stamp: popbridge\r\n").endsWith("\r\n\r\n");
        }
        try (RawPop3Client client = loggedIn()) {
            retrieve(client, "RETR 1");
        }
        assertThat(stamp.runs.get()).as("TOP, RETR and the next session's RETR share one run").isEqualTo(1);
    }

    @Test
    void hiddenMessagesAreRenumberedAwayAndNeverDeleted() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "hide", TestFilters.hideSubject("hide me")),
                false), PLAIN, SPAM, OTHER, LAST);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + (PLAIN.length() + LAST.length()));
            assertThat(listing(client, "LIST")).containsExactly("1 " + PLAIN.length(), "2 " + LAST.length());
            assertThat(listing(client, "UIDL")).containsExactly("1 uid-1", "2 uid-4");
            assertThat(client.command("UIDL 2")).isEqualTo("+OK 2 uid-4");
            assertThat(body(retrieve(client, "RETR 2"))).isEqualTo(LAST);
            assertThat(body(retrieve(client, "TOP 2 0"))).isEqualTo("From: d@example.org\r\nSubject: last one\r\n\r\n");
            assertThat(client.command("RETR 3")).startsWith("-ERR");
            assertThat(client.command("DELE 3")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("DELE 2"));
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.expunged()).isEqualTo(Set.of(4));
        assertThat(upstream.commandsSeen()).contains("DELE 4").doesNotContain("DELE 2", "DELE 3");
    }

    @Test
    void aDeletedMessageLeavesTheListingsUntilRset() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", new TestFilters.Stamp()),
                true), PLAIN, LAST);
        try (RawPop3Client client = loggedIn()) {
            List<String> before = listing(client, "LIST");
            RawPop3Client.expectOk(client.command("DELE 1"));
            assertThat(client.command("RETR 1")).startsWith("-ERR");
            assertThat(client.command("LIST 1")).startsWith("-ERR");
            assertThat(client.command("DELE 1")).startsWith("-ERR");
            assertThat(listing(client, "LIST")).containsExactly(before.get(1));
            assertThat(listing(client, "UIDL")).containsExactly("2 uid-2");
            assertThat(client.command("STAT")).isEqualTo("+OK 1 " + before.get(1).split(" ")[1]);
            RawPop3Client.expectOk(client.command("RSET"));
            assertThat(listing(client, "LIST")).isEqualTo(before);
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void aFilterThatThrowsIsSkippedWithItsEditsAndTheMessageStillArrives() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET,
                "broken", TestFilters.throwOn("hello"), "stamp", new TestFilters.Stamp()), false), PLAIN, LAST);
        try (org.popbridge.proxy.testing.LogCapture logs = org.popbridge.proxy.testing.LogCapture.of("org.popbridge.proxy.pop3.session.SessionFiltering");
             RawPop3Client client = loggedIn()) {
            String first = body(retrieve(client, "RETR 1"));
            assertThat(first).isEqualTo(
                    "From: a@example.org\r\nSubject: hello\r\nX-Stamp: popbridge\r\n\r\nline one\r\n.dot line\r\n");
            assertThat(body(retrieve(client, "RETR 2"))).contains("X-Half-Done: yes\r\n", "X-Stamp: popbridge\r\n");
            assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains("broken", "uidl uid-1", "broken filter"));
        }
    }

    @Test
    void failClosedAnswersErrAndChangesNothingUpstream() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.CLOSED, BUDGET,
                "broken", TestFilters.throwOn("hello")), false), PLAIN, LAST);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("RETR 1")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.command("NOOP")).startsWith("+OK");
            assertThat(body(retrieve(client, "RETR 2"))).contains("Subject: last one");
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.expunged()).isEmpty();
    }

    @Test
    void aFilterOverItsBudgetIsSkipped() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, Duration.ofMillis(200),
                "stuck", TestFilters.neverAnswers(), "stamp", new TestFilters.Stamp()), false), PLAIN);
        try (RawPop3Client client = loggedIn()) {
            String message = body(retrieve(client, "RETR 1"));
            assertThat(message).contains("X-Stamp: popbridge").doesNotContain("X-Never");
        }
    }

    @Test
    void pipelinedRepliesKeepTheirOrderWhileAFilterDecidesAsynchronously() throws Exception {
        try (TestFilters.Slow slow = new TestFilters.Slow(Duration.ofMillis(50))) {
            start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "slow", slow), false),
                    PLAIN, LAST);
            upstream.capabilities(List.of("PIPELINING", "TOP", "UIDL"));
            try (RawPop3Client client = loggedIn()) {
                client.sendRaw("RETR 1\r\nNOOP\r\nRETR 2\r\nSTAT\r\nTOP 1 0\r\n");
                String first = body(retrieveReply(client));
                assertThat(client.readLine()).startsWith("+OK");
                String second = body(retrieveReply(client));
                assertThat(client.readLine()).isEqualTo("+OK 2 " + (first.length() + second.length()));
                String top = body(retrieveReply(client));
                assertThat(first).contains("Subject: hello", "X-Scanned: slowly").endsWith(".dot line\r\n");
                assertThat(second).contains("Subject: last one", "X-Scanned: slowly");
                assertThat(first).startsWith(top);
            }
        }
    }

    private static String retrieveReply(RawPop3Client client) throws Exception {
        String status = RawPop3Client.expectOk(client.readLine());
        return status + "\n" + new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aNextSessionTakesOutcomesFromTheCacheInsteadOfReadingHeaders() throws Exception {
        TestFilters.Stamp stamp = new TestFilters.Stamp();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", stamp), true), PLAIN, LAST);
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        assertThat(upstream.commandsSeen()).contains("TOP 1 0", "TOP 2 0");
        int before = upstream.commandsSeen().size();
        try (RawPop3Client client = loggedIn()) {
            assertThat(listing(client, "LIST")).hasSize(2);
        }
        assertThat(upstream.commandsSeen().subList(before, upstream.commandsSeen().size()))
                .noneMatch(line -> line.startsWith("TOP"));
        assertThat(stamp.runs.get()).isEqualTo(2);
    }

    @Test
    void bodyWatchersSeeEveryOctetOfTheBody() throws Exception {
        TestFilters.BodyCounter counter = new TestFilters.BodyCounter();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "count", counter), false), PLAIN);
        try (RawPop3Client client = loggedIn()) {
            retrieve(client, "RETR 1");
            retrieve(client, "RETR 1");
        }
        int bodyLength = "line one\r\n.dot line\r\n".length();
        assertThat(counter.octets.get()).isEqualTo(2L * bodyLength);
        assertThat(counter.complete.get()).isEqualTo(2);
    }

    /** A body of many reads, with dot lines of every kind all through it. */
    private static String dottedMessage() {
        StringBuilder message = new StringBuilder("From: a@example.org\r\nSubject: many dots\r\n\r\n");
        for (int i = 0; message.length() < 400_000; i++) {
            message.append(switch (i % 5) {
                case 0 -> ".\r\n";
                case 1 -> "..two\r\n";
                case 2 -> ".one dot, then a line of text to fill the read buffers with\r\n";
                case 3 -> "\r\n";
                default -> "plain line " + i + " without any dot at its start\r\n";
            });
        }
        return message.toString();
    }

    @Test
    void aLongBodyAfterTheFilteredHeaderBlockGoesOnAsSentAndArrivesByteExact() throws Exception {
        String message = dottedMessage();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", new TestFilters.Stamp()),
                true), message, PLAIN);
        try (RawPop3Client client = loggedIn()) {
            String retrieved = body(retrieve(client, "RETR 1"));
            assertThat(retrieved).isEqualTo(message.replace("Subject: many dots\r\n",
                    "Subject: many dots\r\nX-Stamp: popbridge\r\n"));
            assertThat(client.command("LIST 1")).isEqualTo("+OK 1 " + retrieved.length());
            // The next reply after a body taken as sent is framed and filtered as ever.
            assertThat(body(retrieve(client, "RETR 2"))).contains("X-Stamp: popbridge").endsWith(".dot line\r\n");
        }
    }

    @Test
    void aBodyWatcherStillSeesALongBodyUnstuffed() throws Exception {
        String message = dottedMessage();
        TestFilters.BodyCounter counter = new TestFilters.BodyCounter();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "count", counter), false), message);
        try (RawPop3Client client = loggedIn()) {
            assertThat(body(retrieve(client, "RETR 1"))).isEqualTo(message);
        }
        assertThat(counter.octets.get()).isEqualTo(message.length() - message.indexOf("\r\n\r\n") - 4);
    }

    @Test
    void underFailClosedABodyWatcherFailureCutsTheMessageWithoutTheFinalDot() throws Exception {
        TestFilters.BodyCounter counter = new TestFilters.BodyCounter();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.CLOSED, BUDGET, "count", counter), false),
                "Subject: x\r\n\r\nthis has a VIRUS in it\r\n");
        try (RawPop3Client client = loggedIn()) {
            RawPop3Client.expectOk(client.command("RETR 1"));
            org.assertj.core.api.Assertions.assertThatThrownBy(client::readBody)
                    .hasMessageContaining("before the terminating line");
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.quitCount()).isZero();
    }

    @Test
    void aHeaderBlockOverTheLimitPassesUnfiltered() throws Exception {
        FilterChain chain = TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", new TestFilters.Stamp());
        MessageFiltering filtering = new MessageFiltering(chain,
                new VerdictCache(1024 * 1024, Duration.ofHours(1)), 1024, true);
        String big = "Subject: big\r\nX-Long: " + "a".repeat(2000) + "\r\n\r\nbody\r\n";
        start(filtering, big);
        try (RawPop3Client client = loggedIn()) {
            assertThat(body(retrieve(client, "RETR 1"))).isEqualTo(big);
        }
        // The login scan read it once; the next login knows from the cache that it passes unfiltered.
        assertThat(upstream.commandsSeen()).filteredOn(line -> line.equals("TOP 1 0")).hasSize(1);
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("LIST 1")).isEqualTo("+OK 1 " + big.length());
        }
        assertThat(upstream.commandsSeen()).filteredOn(line -> line.equals("TOP 1 0")).hasSize(1);
    }

    @Test
    void anUpstreamWithoutUidlStillFiltersButCachesNothing() throws Exception {
        TestFilters.Stamp stamp = new TestFilters.Stamp();
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET, "stamp", stamp), true), PLAIN);
        upstream.supportUidlAndTop(false, true);
        for (int session = 0; session < 2; session++) {
            try (RawPop3Client client = loggedIn()) {
                assertThat(client.command("UIDL")).isEqualTo("-ERR UIDL is not supported by the mail server");
                String message = body(retrieve(client, "RETR 1"));
                assertThat(message).contains("X-Stamp: popbridge");
                assertThat(client.command("LIST 1")).isEqualTo("+OK 1 " + message.length());
            }
        }
        // Without UIDL there is no key to cache under: each login reads the headers again.
        assertThat(upstream.commandsSeen()).filteredOn(line -> line.equals("TOP 1 0")).hasSize(2);
    }

    @Test
    void anUpstreamWithoutTopShowsEveryMessageAndTheServersSizesUntilRead() throws Exception {
        start(TestFilters.filtering(TestFilters.chain(FailurePolicy.OPEN, BUDGET,
                "hide", TestFilters.hideSubject("hide me"), "stamp", new TestFilters.Stamp()), true), PLAIN, SPAM);
        upstream.supportUidlAndTop(true, false);
        try (RawPop3Client client = loggedIn()) {
            // Nothing could be read at login, so nothing could be hidden: both messages keep their numbers.
            assertThat(listing(client, "LIST")).containsExactly("1 " + PLAIN.length(), "2 " + SPAM.length());
            String message = body(retrieve(client, "RETR 1"));
            assertThat(message).contains("X-Stamp: popbridge");
            assertThat(client.command("LIST 1")).isEqualTo("+OK 1 " + message.length());
            assertThat(client.command("TOP 1 0")).startsWith("-ERR");
            RawPop3Client.expectOk(client.command("QUIT"));
        }
        assertThat(upstream.awaitSessionsEnded(1, WAIT_MS)).isTrue();
        assertThat(upstream.expunged()).isEmpty();
    }
}
