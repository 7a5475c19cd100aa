package org.popbridge.proxy.filtering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.Verdict;
import org.popbridge.proxy.core.filtering.MessageFiltering;
import org.popbridge.proxy.core.filtering.VerdictCache;
import org.popbridge.proxy.testing.DotStuffing;
import org.popbridge.proxy.testing.ProxyFixture;
import org.popbridge.proxy.testing.RawPop3Client;
import org.popbridge.proxy.testing.ScriptedImapMailbox;
import org.popbridge.proxy.testing.ScriptedImapMailbox.HeaderFetching;
import org.popbridge.proxy.testing.ScriptedImapServer;

/**
 * The login scan of an IMAP mailbox with filters on: every header block the verdict cache does
 * not settle comes from one UID FETCH of a set, not one fetch per message, and the session sees
 * the same maildrop it would have with one fetch per message: hidden messages left out, sizes
 * the client will receive, verdicts cached, a header block over the bound unfiltered.
 */
class ImapLoginScanTest {

    private static final Duration BUDGET = Duration.ofSeconds(5);
    /** What Stamp adds to each header block. */
    private static final int STAMP = "X-Stamp: popbridge\r\n".length();

    @TempDir
    Path stateDir;

    private final ScriptedImapMailbox mailbox = new ScriptedImapMailbox();
    private ScriptedImapServer server;
    private ProxyFixture proxy;
    private final TestFilters.Stamp stamp = new TestFilters.Stamp();

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String message(long uid, String subject, String extra) {
        return "From: sender" + uid + "@example.org\r\nSubject: " + subject + "\r\n" + extra + "\r\nbody " + uid
                + "\r\n.dot line\r\n";
    }

    private void start(MessageFiltering filtering) throws Exception {
        server = new ScriptedImapServer(ScriptedImapMailbox.GREETING, mailbox);
        proxy = ProxyFixture.filteringImap(server.port(), stateDir, filtering);
    }

    private MessageFiltering hideAndStamp(int headerLimit) {
        return new MessageFiltering(TestFilters.chain(FailurePolicy.OPEN, BUDGET,
                "hide", TestFilters.hideSubject("quarantine"), "stamp", stamp),
                new VerdictCache(16 * 1024 * 1024, Duration.ofHours(1)), headerLimit, true);
    }

    private RawPop3Client loggedIn() throws Exception {
        RawPop3Client client = RawPop3Client.plain(proxy.plainPort());
        RawPop3Client.expectOk(client.readLine());
        return client.login("alice", "secret");
    }

    private List<String> headerFetches() {
        return server.received().stream().filter(line -> line.contains(" (BODY.PEEK[HEADER])"))
                .map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    private static String body(RawPop3Client client, String command) throws Exception {
        RawPop3Client.expectOk(client.command(command));
        return new String(DotStuffing.unstuff(client.readBody()), StandardCharsets.ISO_8859_1);
    }

    @Test
    void oneUidFetchReadsTheMailboxAndTheSessionSeesWhatTheFiltersMadeOfIt() throws Exception {
        long octets = 0;
        for (long uid = 101; uid <= 130; uid++) {
            String subject = uid % 7 == 0 ? "quarantine me" : "message " + uid;
            String message = message(uid, subject, "");
            mailbox.add(uid, message);
            octets += uid % 7 == 0 ? 0 : message.length() + STAMP;
        }
        start(hideAndStamp(64 * 1024));
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("STAT")).isEqualTo("+OK 26 " + octets);
            assertThat(body(client, "RETR 1")).contains("Subject: message 101\r\nX-Stamp: popbridge\r\n");
            // 105 is hidden: the client's sixth message is 106.
            assertThat(body(client, "RETR 5")).contains("Subject: message 106\r\n");
        }
        assertThat(headerFetches()).containsExactly("UID FETCH 101:130 (BODY.PEEK[HEADER])");
        assertThat(server.received()).noneMatch(line -> line.matches("A\\d+ UID FETCH \\d+ \\(BODY.PEEK\\[HEADER\\]\\)"));
        assertThat(stamp.runs).hasValue(26);

        // The next login takes every verdict from the cache; a new message alone is read.
        mailbox.add(131, message(131, "message 131", ""));
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("STAT")).startsWith("+OK 27 ");
        }
        assertThat(headerFetches()).containsExactly("UID FETCH 101:130 (BODY.PEEK[HEADER])",
                "UID FETCH 131 (BODY.PEEK[HEADER])");
    }

    @Test
    void headerBlocksSplitAcrossReadsAreTheOnesRetrFindsSoTheCachedVerdictsHold() throws Exception {
        for (long uid = 1; uid <= 4; uid++) {
            mailbox.add(uid, message(uid, "message " + uid, "X-Long: " + "v".repeat(700 * (int) uid) + "\r\n"));
        }
        mailbox.headerFetching(HeaderFetching.SPLIT);
        start(hideAndStamp(64 * 1024));
        try (RawPop3Client client = loggedIn()) {
            for (int n = 1; n <= 4; n++) {
                String listed = client.command("LIST " + n);
                String retrieved = body(client, "RETR " + n);
                assertThat(listed).isEqualTo("+OK " + n + " " + retrieved.length());
                assertThat(retrieved).contains("X-Stamp: popbridge");
            }
        }
        // RETR found the very header blocks the scan had: the chain ran once per message.
        assertThat(stamp.runs).hasValue(4);
    }

    @Test
    void aHeaderBlockOverTheBoundPassesUnfilteredAndTheNextOnesAreFiltered() throws Exception {
        mailbox.add(1, message(1, "message 1", ""));
        String big = message(2, "quarantine me", "X-Long: " + "v".repeat(3000) + "\r\n");
        mailbox.add(2, big);
        mailbox.add(3, message(3, "quarantine me too", ""));
        mailbox.add(4, message(4, "message 4", ""));
        start(hideAndStamp(1024));
        try (RawPop3Client client = loggedIn()) {
            // Message 2 would be hidden, but its header is over the bound: it passes as it is.
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
            assertThat(client.command("LIST 2")).isEqualTo("+OK 2 " + big.length());
            assertThat(body(client, "RETR 2")).isEqualTo(big);
            assertThat(body(client, "RETR 3")).contains("Subject: message 4\r\nX-Stamp: popbridge\r\n");
        }
        assertThat(headerFetches()).containsExactly("UID FETCH 1:4 (BODY.PEEK[HEADER])");
    }

    @Test
    void anUpstreamThatDiesMidScanEndsTheSessionAndChangesNothing() throws Exception {
        for (long uid = 1; uid <= 3; uid++) {
            mailbox.add(uid, message(uid, "message " + uid, ""));
        }
        mailbox.headerFetching(HeaderFetching.DIES_IN_SECOND);
        start(hideAndStamp(64 * 1024));
        try (RawPop3Client client = RawPop3Client.plain(proxy.plainPort())) {
            RawPop3Client.expectOk(client.readLine());
            RawPop3Client.expectOk(client.command("USER alice"));
            assertThat(client.command("PASS secret")).startsWith("-ERR [SYS/TEMP]");
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(server.received()).noneMatch(line -> line.contains("STORE") || line.contains("EXPUNGE")
                || line.contains("LOGOUT"));
    }

    @Test
    void aMessageExpungedDuringTheScanKeepsItsNumberAndRetrSaysItIsGone() throws Exception {
        for (long uid = 1; uid <= 3; uid++) {
            mailbox.add(uid, message(uid, "message " + uid, ""));
        }
        mailbox.expungeAfterSnapshot(2);
        start(hideAndStamp(64 * 1024));
        try (RawPop3Client client = loggedIn()) {
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
            assertThat(body(client, "RETR 3")).contains("Subject: message 3\r\nX-Stamp: popbridge\r\n");
            assertThat(client.command("RETR 2")).startsWith("-ERR").contains("removed");
            assertThat(body(client, "RETR 1")).contains("X-Stamp: popbridge");
        }
        assertThat(headerFetches()).containsExactly("UID FETCH 1:3 (BODY.PEEK[HEADER])");
    }

    @Test
    void aChainThatFallsBehindPausesTheReadSoFewHeaderBlocksWaitAtOnce() throws Exception {
        int count = 300;
        for (long uid = 1; uid <= count; uid++) {
            mailbox.add(uid, message(uid, "message " + uid, "X-Long: " + "v".repeat(2000) + "\r\n"));
        }
        Held held = new Held();
        start(new MessageFiltering(TestFilters.chain(FailurePolicy.OPEN, Duration.ofSeconds(30), "held", held),
                new VerdictCache(16 * 1024 * 1024, Duration.ofHours(1)), 64 * 1024, true));
        CompletableFuture<String> stat = CompletableFuture.supplyAsync(() -> {
            try (RawPop3Client client = loggedIn()) {
                return client.command("STAT");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // No verdict comes: the number of header blocks waiting for one grows until reading pauses.
        int seen = -1;
        for (int i = 0; i < 100 && (seen <= 0 || held.waiting() != seen); i++) {
            seen = held.waiting();
            Thread.sleep(100);
        }
        // Without the pause all 300 would be read and wait; with it, 16 do, plus what the read under
        // way had already brought (a read takes at most 64 KiB: about 30 of these blocks).
        assertThat(held.waiting()).isGreaterThanOrEqualTo(16).isLessThan(80);
        held.release();
        assertThat(stat.get(30, TimeUnit.SECONDS)).startsWith("+OK " + count + " ");
        assertThat(held.runs).hasValue(count);
        assertThat(headerFetches()).hasSize(1);
    }

    /** Holds every verdict until released, then decides at once. */
    private static final class Held implements MessageFilterFactory {
        final AtomicInteger runs = new AtomicInteger();
        private final List<CompletableFuture<Verdict>> held = new ArrayList<>();
        private boolean released;

        @Override
        public MessageFilter forMessage(MessageInfo message) {
            return headers -> {
                runs.incrementAndGet();
                synchronized (this) {
                    if (released) {
                        return Verdict.deliver().now();
                    }
                    CompletableFuture<Verdict> verdict = new CompletableFuture<>();
                    held.add(verdict);
                    return verdict;
                }
            };
        }

        synchronized int waiting() {
            return held.size();
        }

        void release() {
            List<CompletableFuture<Verdict>> all;
            synchronized (this) {
                released = true;
                all = new ArrayList<>(held);
                held.clear();
            }
            all.forEach(verdict -> verdict.complete(Verdict.deliver()));
        }
    }
}
