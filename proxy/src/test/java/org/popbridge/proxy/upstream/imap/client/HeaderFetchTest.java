package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.testing.ScriptedImapMailbox;
import org.popbridge.proxy.testing.ScriptedImapMailbox.HeaderFetching;
import org.popbridge.proxy.testing.ScriptedImapServer;

/**
 * {@link ImapLink#headers}: the login scan's header blocks in one UID FETCH of a set, against a
 * scripted server that holds a mailbox, answers the set it is asked for as a server would, and
 * can misbehave.
 */
class HeaderFetchTest {

    private static final Pattern UID_FETCH = Pattern.compile("(A\\d+) UID FETCH (\\S+) \\(BODY\\.PEEK\\[HEADER\\]\\)");

    private EventLoopGroup group;
    private EventLoop loop;
    private ImapLink link;
    private ScriptedImapServer server;
    private final ScriptedImapMailbox mailbox = new ScriptedImapMailbox();
    /** What the mailbox holds, UID to the whole message. */
    private final Map<Long, String> messages = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            loop.submit(link::abort).get(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneUidFetchNamesRunsOfSnapshotNeighboursAndEveryBlockArrivesWhole() throws Exception {
        for (long uid : new long[] {10, 11, 12, 14, 15, 20, 21}) {
            add(uid, message(uid, ""));
        }
        serveMailbox(HeaderFetching.WHOLE);
        MailboxSnapshot snapshot = snapshot();
        // 14 is cached; 15 and 20 are neighbours in the snapshot, so the run 15:20 names only them.
        CollectingHeaders sink = fetch(snapshot, uid -> uid != 14);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fetchLines()).containsExactly("UID FETCH 10:12,15:21 (BODY.PEEK[HEADER])");
        assertThat(sink.headers.keySet()).containsExactly(10L, 11L, 12L, 15L, 20L, 21L);
        for (Map.Entry<Long, String> header : sink.headers.entrySet()) {
            assertThat(header.getValue()).isEqualTo(headerOf(header.getKey()));
        }
        assertThat(sink.gone).isEmpty();
    }

    @Test
    void aMailboxReadWholeIsOneRangeFromTheFirstUidToTheLast() throws Exception {
        for (long uid = 3; uid <= 300; uid += 3) {
            add(uid, message(uid, ""));
        }
        serveMailbox(HeaderFetching.WHOLE);
        CollectingHeaders sink = fetch(snapshot(), uid -> true);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fetchLines()).containsExactly("UID FETCH 3:300 (BODY.PEEK[HEADER])");
        assertThat(sink.headers).hasSize(100);
    }

    @Test
    void literalsSplitAcrossReadsAreJoinedExactly() throws Exception {
        for (long uid = 1; uid <= 5; uid++) {
            add(uid, message(uid, "X-Long: " + "v".repeat(900 * (int) uid) + "\r\n"));
        }
        serveMailbox(HeaderFetching.SPLIT);
        CollectingHeaders sink = fetch(snapshot(), uid -> true);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.headers.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (Map.Entry<Long, String> header : sink.headers.entrySet()) {
            assertThat(header.getValue()).isEqualTo(headerOf(header.getKey()));
        }
        assertThat(sink.chunkCounts).as("each block came in more than one piece").allMatch(count -> count > 1);
    }

    @Test
    void aUidAfterTheLiteralIsMatchedByTheSnapshotsNumbering() throws Exception {
        for (long uid = 40; uid <= 44; uid++) {
            add(uid, message(uid, ""));
        }
        serveMailbox(HeaderFetching.UID_LAST);
        CollectingHeaders sink = fetch(snapshot(), uid -> uid % 2 == 0);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.headers.keySet()).containsExactly(40L, 42L, 44L);
        assertThat(sink.headers.get(42L)).isEqualTo(headerOf(42L));
    }

    @Test
    void aMessageExpungedMeanwhileIsReportedGoneAndTheOthersStillArrive() throws Exception {
        for (long uid = 1; uid <= 4; uid++) {
            add(uid, message(uid, ""));
        }
        serveMailbox(HeaderFetching.WHOLE);
        MailboxSnapshot snapshot = snapshot();
        // Another client expunges message 2 (UID 2) after the snapshot: the server announces it and skips it.
        mailbox.expunge(2L);
        CollectingHeaders sink = fetch(snapshot, uid -> true);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.headers.keySet()).containsExactly(1L, 3L, 4L);
        assertThat(sink.gone).containsExactly(2L);
    }

    @Test
    void aRefusedFetchReportsEveryMessageItDidNotSend() throws Exception {
        for (long uid = 1; uid <= 3; uid++) {
            add(uid, message(uid, ""));
        }
        serveMailbox(HeaderFetching.REFUSED_AFTER_FIRST);
        CollectingHeaders sink = fetch(snapshot(), uid -> true);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.headers.keySet()).containsExactly(1L);
        assertThat(sink.refused).containsExactly(2L, 3L);
        assertThat(sink.gone).isEmpty();
    }

    @Test
    void aServerThatDiesMidFetchFailsTheBlockUnderWayAndNothingLooksFinished() throws Exception {
        for (long uid = 1; uid <= 3; uid++) {
            add(uid, message(uid, ""));
        }
        serveMailbox(HeaderFetching.DIES_IN_SECOND);
        CollectingHeaders sink = fetch(snapshot(), uid -> true);
        assertThat(sink.failure.get(10, TimeUnit.SECONDS).failure()).isEqualTo(ImapFailure.LOST);
        assertThat(sink.headers.keySet()).containsExactly(1L);
        assertThat(sink.finished).isNotDone();
        assertThat(sink.gone).isEmpty();
    }

    @Test
    void aLongSetIsCutIntoSeveralCommandsSentBackToBack() throws Exception {
        for (long uid = 1; uid <= 4000; uid++) {
            add(uid, "Subject: " + uid + "\r\n\r\n");
        }
        serveMailbox(HeaderFetching.WHOLE);
        // Every other message: 2,000 runs of one, more than one command line should hold.
        CollectingHeaders sink = fetch(snapshot(), uid -> uid % 2 == 1);
        assertThat(sink.finished.get(20, TimeUnit.SECONDS)).isTrue();
        List<String> fetches = fetchLines();
        assertThat(fetches).hasSizeGreaterThan(1);
        assertThat(fetches).allMatch(line -> line.length() < UidSetFormat.MAX_SET_LENGTH + 40);
        assertThat(sink.headers).hasSize(2000);
        assertThat(sink.headers.get(3999L)).isEqualTo("Subject: 3999\r\n\r\n");
    }

    @Test
    void aBlankLineTheServerLeftOutIsAddedAsTopAddsIt() throws Exception {
        add(1L, message(1, ""));
        add(2L, "Subject: all header\r\n");
        serveMailbox(HeaderFetching.WITHOUT_BLANK_LINE);
        CollectingHeaders sink = fetch(snapshot(), uid -> true);
        assertThat(sink.finished.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.headers.get(1L)).isEqualTo(headerOf(1L));
        assertThat(sink.headers.get(2L)).as("a message that is all header has no blank line")
                .isEqualTo("Subject: all header\r\n");
    }

    // ---- the scripted mailbox

    private static String message(long uid, String extra) {
        return "From: sender" + uid + "@example.org\r\nSubject: message " + uid + "\r\n" + extra + "\r\nbody " + uid
                + "\r\n.dot line\r\n";
    }

    private void add(long uid, String message) {
        mailbox.add(uid, message);
        messages.put(uid, message);
    }

    private String headerOf(long uid) {
        return ScriptedImapMailbox.headerOf(messages.get(uid));
    }

    private void serveMailbox(HeaderFetching fetching) throws Exception {
        server = new ScriptedImapServer(ScriptedImapMailbox.GREETING, mailbox.headerFetching(fetching));
        link = new ImapLink(new UpstreamConnector(route()), new ImapLink.Listener() { }, "test");
        onLoop(() -> link.connect(loop));
    }

    private MailboxSnapshot snapshot() throws Exception {
        onLoop(() -> link.select("INBOX"));
        return onLoop(() -> link.snapshot());
    }

    private CollectingHeaders fetch(MailboxSnapshot snapshot, Predicate<Long> wanted) throws Exception {
        CollectingHeaders sink = new CollectingHeaders();
        List<MailboxSnapshot.Message> messages = snapshot.messages().stream()
                .filter(message -> wanted.test(message.uid())).toList();
        loop.submit(() -> link.headers(snapshot, messages, sink)).get(5, TimeUnit.SECONDS);
        return sink;
    }

    private List<String> fetchLines() {
        return server.received().stream().filter(line -> UID_FETCH.matcher(line).matches())
                .map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    private UpstreamEndpoint route() {
        return new UpstreamEndpoint(UpstreamScheme.IMAP, "127.0.0.1", server.port(), null,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private <T> T onLoop(java.util.function.Supplier<CompletableFuture<T>> action) throws Exception {
        return loop.submit(action::get).get(5, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    /** Keeps every header block whole, by UID, and how each pass ended. */
    private static final class CollectingHeaders implements HeaderSink {
        final Map<Long, String> headers = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<Integer> chunkCounts = Collections.synchronizedList(new ArrayList<>());
        final List<Long> gone = Collections.synchronizedList(new ArrayList<>());
        final List<Long> refused = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Boolean> finished = new CompletableFuture<>();
        final CompletableFuture<ImapLinkException> failure = new CompletableFuture<>();

        @Override
        public MessageSink header(MailboxSnapshot.Message message) {
            return new MessageSink() {
                private final StringBuilder octets = new StringBuilder();
                private int chunks;
                private boolean started;

                @Override
                public void onStart(long size) {
                    assertThat(size).isEqualTo(-1);
                    started = true;
                }

                @Override
                public void onChunk(ByteBuf chunk) {
                    try {
                        assertThat(started).isTrue();
                        octets.append(chunk.toString(StandardCharsets.ISO_8859_1));
                        chunks++;
                    } finally {
                        chunk.release();
                    }
                }

                @Override
                public void onEnd() {
                    chunkCounts.add(chunks);
                    assertThat(headers.put(message.uid(), octets.toString())).as("one block per message").isNull();
                }

                @Override
                public void onGone() {
                    throw new AssertionError("a header block of a pass is never gone once started");
                }

                @Override
                public void onFailure(ImapLinkException cause) {
                    failure.complete(cause);
                }
            };
        }

        @Override
        public void gone(MailboxSnapshot.Message message) {
            gone.add(message.uid());
        }

        @Override
        public void refused(MailboxSnapshot.Message message, ImapLinkException cause) {
            assertThat(cause.failure()).isEqualTo(ImapFailure.REFUSED);
            refused.add(message.uid());
        }

        @Override
        public void finished() {
            finished.complete(true);
        }
    }
}
