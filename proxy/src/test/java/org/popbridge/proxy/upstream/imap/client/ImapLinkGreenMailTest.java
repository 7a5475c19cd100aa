package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.popbridge.proxy.testing.JakartaImapView;
import org.popbridge.proxy.testing.LogCapture;
import org.slf4j.LoggerFactory;

/**
 * {@link ImapLink} against GreenMail's IMAP server, checked with GreenMail's state and Jakarta Mail.
 * GreenMail 2.1.3 departs from RFC 9051 in ways these tests meet: RFC822.SIZE counts only the
 * body, BODY[HEADER] lacks the blank line, BODY[TEXT] lacks the final CRLF, a partial item has
 * no SP before its literal, and AUTHENTICATE is not implemented (see ImapLinkScriptedTest).
 */
class ImapLinkGreenMailTest {

    private static final String PASSWORD = "s3cret-Pw";

    private GreenMail mailServer;
    private GreenMailUser alice;
    private EventLoopGroup group;
    private EventLoop loop;
    private ImapLink link;

    @BeforeEach
    void start() {
        mailServer = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        mailServer.start();
        alice = mailServer.setUser("alice@localhost", "alice", PASSWORD);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
        link = new ImapLink(new UpstreamConnector(route()), new ImapLink.Listener() { }, "test");
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            link.abort();
            return CompletableFuture.completedFuture(null);
        });
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        mailServer.stop();
    }

    private UpstreamEndpoint route() {
        return new UpstreamEndpoint(UpstreamScheme.IMAP, "127.0.0.1", mailServer.getImap().getPort(), null,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    // ---- login ----

    @Test
    void logsInWithTheRightPassword() throws Exception {
        connect();
        LoginResult result = onLoop(() -> link.login(utf8("alice"), utf8(PASSWORD)));
        assertThat(result.outcome()).isEqualTo(LoginResult.Outcome.OK);
        assertThat(link.capabilities().has("IMAP4rev1")).isTrue();
    }

    @Test
    void wrongPasswordIsRejectedAndNeverLogged() throws Exception {
        ch.qos.logback.classic.Logger imapLogger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.popbridge.proxy.upstream.imap");
        Level before = imapLogger.getLevel();
        imapLogger.setLevel(Level.DEBUG);
        try (LogCapture logs = LogCapture.of("org.popbridge.proxy.upstream.imap")) {
            connect();
            String wrong = "Wr0ng-Secret-Value";
            LoginResult result = onLoop(() -> link.login(utf8("alice"), utf8(wrong)));
            assertThat(result.outcome()).isEqualTo(LoginResult.Outcome.REJECTED);
            assertThat(result.serverText()).doesNotContain(wrong);
            assertThat(logs.events()).isNotEmpty();
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains("LOGIN alice ***"))
                    .allSatisfy(line -> assertThat(line).doesNotContain(wrong).doesNotContain(PASSWORD));
        } finally {
            imapLogger.setLevel(before);
        }
    }

    @Test
    void passwordWithQuotesAndBackslashIsQuoted() throws Exception {
        String password = "a \"quoted\" back\\slash";
        mailServer.setUser("bob@localhost", "bob", password);
        connect();
        assertThat(onLoop(() -> link.login(utf8("bob"), utf8(password))).outcome()).isEqualTo(LoginResult.Outcome.OK);
    }

    @Test
    void eightBitPasswordGoesAsALiteral() throws Exception {
        String password = "pässwörd ñ";
        mailServer.setUser("carol@localhost", "carol", password);
        connect();
        assertThat(onLoop(() -> link.login(utf8("carol"), utf8(password))).outcome()).isEqualTo(LoginResult.Outcome.OK);
    }

    // ---- snapshot ----

    @Test
    void snapshotListsUidsInOrderWithRfc822Sizes() throws Exception {
        deliver("one", "short\r\n");
        deliver("two", "a longer body\r\n".repeat(50));
        deliver("three", "ünïcode body\r\n");
        MailboxSnapshot snapshot = openInbox();

        assertThat(snapshot.messages()).hasSize(3);
        List<Long> uids = snapshot.messages().stream().map(MailboxSnapshot.Message::uid).toList();
        assertThat(uids).isSorted().doesNotHaveDuplicates();
        List<Long> rfc822Sizes = rfc822Sizes();
        for (int i = 0; i < 3; i++) {
            assertThat(snapshot.messages().get(i).size()).as("size of message %d", i + 1).isEqualTo(rfc822Sizes.get(i));
        }
        List<MaildropEntry> entries = snapshot.entries();
        assertThat(entries).extracting(MaildropEntry::upstreamNumber).containsExactly(1, 2, 3);
        long uidValidity = jakartaUidValidity();
        assertThat(entries.get(1).uidl()).isEqualTo(uidValidity + "." + uids.get(1));
        assertThat(entries.get(2).upstreamSize()).isEqualTo(rfc822Sizes.get(2));
        assertThat(uids).containsExactlyElementsOf(jakartaUids());
    }

    @Test
    void emptyMailboxGivesAnEmptySnapshot() throws Exception {
        MailboxSnapshot snapshot = openInbox();
        assertThat(snapshot.messages()).isEmpty();
        assertThat(snapshot.entries()).isEmpty();
        assertThat(onLoop(() -> link.commit(List.of(), CommitFallback.flagOnly())))
                .isEqualTo(CommitOutcome.NOTHING_TO_DELETE);
    }

    // ---- retrieve ----

    @Test
    void retrieveStreamsExactlyTheServersOctetsWithoutSettingSeen() throws Exception {
        deliver("first", "line one\r\n.dot line\r\n\r\nlast");
        deliver("second", "second body\r\n");
        MailboxSnapshot snapshot = openInbox();
        List<byte[]> raw = rawMessages();

        for (int i = 0; i < 2; i++) {
            CollectingSink sink = retrieve(snapshot.messages().get(i).uid(), false);
            assertThat(sink.await()).isEqualTo(CollectingSink.End.END);
            assertThat(sink.bytes()).isEqualTo(raw.get(i));
            assertThat(sink.startSize).isEqualTo(raw.get(i).length);
        }
        assertThat(seen()).containsExactly(false, false);
    }

    @Test
    void retrieveWithMarkSeenSetsSeen() throws Exception {
        deliver("first", "body\r\n");
        deliver("second", "body\r\n");
        MailboxSnapshot snapshot = openInbox();
        CollectingSink sink = retrieve(snapshot.messages().get(1).uid(), true);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.END);
        assertThat(seen()).containsExactly(false, true);
    }

    @Test
    void multiMegabyteMessageArrivesWholeInSeveralChunks() throws Exception {
        deliver("big", bigBody(3 * 1024 * 1024));
        MailboxSnapshot snapshot = openInbox();
        byte[] raw = rawMessages().get(0);
        assertThat(raw.length).isGreaterThan(3 * 1024 * 1024);

        CollectingSink sink = retrieve(snapshot.messages().get(0).uid(), false);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.END);
        assertThat(sink.chunks).isGreaterThan(1);
        assertThat(sink.ends).isEqualTo(1);
        assertThat(Arrays.equals(sink.bytes(), raw)).as("byte-exact").isTrue();
    }

    // ---- top ----

    @Test
    void topGivesTheHeaderAndTheFirstLines() throws Exception {
        deliver("topped", "l1\r\nl2\r\n\r\nl4 after a blank\r\nl5\r\nl6\r\n");
        MailboxSnapshot snapshot = openInbox();
        MailboxSnapshot.Message message = snapshot.messages().get(0);
        String raw = new String(rawMessages().get(0), StandardCharsets.ISO_8859_1);
        int bodyStart = raw.indexOf("\r\n\r\n") + 4;

        CollectingSink none = top(message, 0);
        assertThat(none.await()).isEqualTo(CollectingSink.End.END);
        assertThat(latin1(none.bytes())).isEqualTo(raw.substring(0, bodyStart));

        CollectingSink three = top(message, 3);
        assertThat(three.await()).isEqualTo(CollectingSink.End.END);
        assertThat(latin1(three.bytes())).isEqualTo(raw.substring(0, bodyStart) + "l1\r\nl2\r\n\r\n");

        // All of it: GreenMail's BODY[TEXT] lacks the message's final CRLF, a server bug passed on as it is.
        CollectingSink more = top(message, 100);
        assertThat(more.await()).isEqualTo(CollectingSink.End.END);
        assertThat(latin1(more.bytes())).isIn(raw, raw.substring(0, raw.length() - 2));
        assertThat(seen()).containsExactly(false);
    }

    @Test
    void topOfALargeMessageFetchesOnlyWhatItNeeds() throws Exception {
        deliver("big", bigBody(4 * 1024 * 1024));
        MailboxSnapshot snapshot = openInbox();
        long size = snapshot.messages().get(0).size();
        String raw = new String(rawMessages().get(0), StandardCharsets.ISO_8859_1);
        int bodyStart = raw.indexOf("\r\n\r\n") + 4;
        int afterTen = bodyStart;
        for (int i = 0; i < 10; i++) {
            afterTen = raw.indexOf("\r\n", afterTen) + 2;
        }

        long before = onLoop(() -> CompletableFuture.completedFuture(link.literalOctetsReceived()));
        CollectingSink sink = top(snapshot.messages().get(0), 10);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.END);
        long fetched = onLoop(() -> CompletableFuture.completedFuture(link.literalOctetsReceived())) - before;

        assertThat(latin1(sink.bytes())).isEqualTo(raw.substring(0, afterTen));
        assertThat(fetched).isLessThan(size / 100);
    }

    // ---- commit and abort ----

    @Test
    void commitDeletesExactlyTheGivenUidsAndNotWhatAnotherClientFlagged() throws Exception {
        for (int i = 1; i <= 5; i++) {
            deliver("m" + i, "body " + i + "\r\n");
        }
        // Another client flags message 5 \Deleted without expunging it.
        inbox().withInbox(Folder.READ_WRITE, folder -> folder.getMessage(5).setFlag(Flags.Flag.DELETED, true));
        MailboxSnapshot snapshot = openInbox();
        long uid2 = snapshot.messages().get(1).uid();
        long uid4 = snapshot.messages().get(3).uid();
        assertThat(link.capabilities().has("UIDPLUS")).isTrue();

        CommitOutcome outcome = onLoop(() -> link.commit(List.of(uid2, uid4), CommitFallback.flagOnly()));

        assertThat(outcome).isEqualTo(CommitOutcome.EXPUNGED);
        assertThat(subjects()).containsExactly("m1", "m3", "m5");
    }

    @Test
    void commitFallsBackToFlaggingWithoutUidplus() throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver("m" + i, "body\r\n");
        }
        MailboxSnapshot snapshot = openInbox();
        long uid2 = snapshot.messages().get(1).uid();
        // Hide UIDPLUS as a server without it would: the capabilities come from the next announcement.
        hideUidplus();
        try (LogCapture logs = LogCapture.of(Commit.class)) {
            CommitOutcome outcome = onLoop(() -> link.commit(List.of(uid2), CommitFallback.flagOnly()));
            assertThat(outcome).isEqualTo(CommitOutcome.FLAGGED);
            assertThat(logs.events()).anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
        }
        assertThat(subjects()).containsExactly("m1", "m2", "m3");
        assertThat(deletedFlags()).containsExactly(false, true, false);
    }

    @Test
    void abortChangesNothing() throws Exception {
        deliver("m1", "body\r\n");
        deliver("m2", "body\r\n");
        MailboxSnapshot snapshot = openInbox();
        CollectingSink sink = retrieve(snapshot.messages().get(0).uid(), false);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.END);
        onLoop(() -> {
            link.abort();
            return CompletableFuture.completedFuture(null);
        });
        assertThat(subjects()).containsExactly("m1", "m2");
        assertThat(deletedFlags()).containsExactly(false, false);
        assertThat(seen()).containsExactly(false, false);
        CollectingSink after = retrieve(snapshot.messages().get(1).uid(), false);
        assertThat(after.await()).isEqualTo(CollectingSink.End.FAILURE);
        assertThat(after.failure.failure()).isEqualTo(ImapFailure.CLOSED);
    }

    // ---- expunged by another client ----

    @Test
    void messageExpungedByAnotherClientIsGoneAndTheRestStillWork() throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver("m" + i, "body " + i + "\r\n");
        }
        MailboxSnapshot snapshot = openInbox();
        List<byte[]> raw = rawMessages();
        inbox().withInbox(Folder.READ_WRITE, folder -> {
            folder.getMessage(2).setFlag(Flags.Flag.DELETED, true);
            folder.expunge();
        });

        CollectingSink gone = retrieve(snapshot.messages().get(1).uid(), false);
        assertThat(gone.await()).isEqualTo(CollectingSink.End.GONE);
        assertThat(gone.bytes()).isEmpty();

        onLoop(() -> link.noop());
        assertThat(onLoop(() -> CompletableFuture.completedFuture(link.isGone(snapshot.messages().get(1).uid()))))
                .isTrue();
        CollectingSink goneTop = top(snapshot.messages().get(1), 1);
        assertThat(goneTop.await()).isEqualTo(CollectingSink.End.GONE);

        CollectingSink third = retrieve(snapshot.messages().get(2).uid(), false);
        assertThat(third.await()).isEqualTo(CollectingSink.End.END);
        assertThat(third.bytes()).isEqualTo(raw.get(2));
        CommitOutcome outcome = onLoop(() -> link.commit(List.of(snapshot.messages().get(0).uid()),
                CommitFallback.flagOnly()));
        assertThat(outcome).isEqualTo(CommitOutcome.EXPUNGED);
        assertThat(subjects()).containsExactly("m3");
    }

    // ---- helpers ----

    private void connect() throws Exception {
        onLoop(() -> link.connect(loop));
    }

    private MailboxSnapshot openInbox() throws Exception {
        connect();
        assertThat(onLoop(() -> link.login(utf8("alice"), utf8(PASSWORD))).isOk()).isTrue();
        SelectedMailbox inbox = onLoop(() -> link.select("INBOX"));
        assertThat(inbox.readOnly()).isFalse();
        return onLoop(() -> link.snapshot());
    }

    private CollectingSink retrieve(long uid, boolean markSeen) throws Exception {
        CollectingSink sink = new CollectingSink();
        loop.submit(() -> link.retrieve(uid, markSeen, sink)).get(5, TimeUnit.SECONDS);
        return sink;
    }

    private CollectingSink top(MailboxSnapshot.Message message, long lines) throws Exception {
        CollectingSink sink = new CollectingSink();
        loop.submit(() -> link.top(message, lines, sink)).get(5, TimeUnit.SECONDS);
        return sink;
    }

    private void hideUidplus() throws Exception {
        onLoop(() -> {
            try {
                java.lang.reflect.Field field = ImapLink.class.getDeclaredField("capabilities");
                field.setAccessible(true);
                java.util.Set<String> names = new java.util.LinkedHashSet<>(link.capabilities().names());
                names.remove("UIDPLUS");
                field.set(link, new Capabilities(names));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Runs {@code action} on the link's loop and waits for the future it returns; a failure fails the test. */
    private <T> T onLoop(Supplier<CompletableFuture<T>> action) throws Exception {
        CompletableFuture<T> future = loop.submit(action::get).get(5, TimeUnit.SECONDS);
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        }
    }

    private void deliver(String subject, String body) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("friend@example.org");
        message.setRecipients(Message.RecipientType.TO, "alice@localhost");
        message.setSubject(subject);
        message.setText(body, "UTF-8");
        alice.deliver(message);
    }

    private static String bigBody(int size) {
        StringBuilder body = new StringBuilder(size + 100);
        int line = 0;
        while (body.length() < size) {
            body.append("line ").append(line++).append(" of a long message, padded to a sensible width.....\r\n");
        }
        return body.toString();
    }

    private static String latin1(byte[] octets) {
        return new String(octets, StandardCharsets.ISO_8859_1);
    }

    private List<byte[]> rawMessages() throws Exception {
        return inbox().rawMessages();
    }

    /** RFC822.SIZE as Jakarta Mail reads it (GreenMail's counts the body only, see the class comment). */
    private List<Long> rfc822Sizes() throws Exception {
        return inbox().rfc822Sizes();
    }

    private List<Long> jakartaUids() throws Exception {
        return inbox().uids();
    }

    private long jakartaUidValidity() throws Exception {
        return inbox().uidValidity();
    }

    private List<String> subjects() throws Exception {
        return inbox().subjects();
    }

    private List<Boolean> deletedFlags() throws Exception {
        return flags(Flags.Flag.DELETED);
    }

    private List<Boolean> seen() throws Exception {
        return flags(Flags.Flag.SEEN);
    }

    private List<Boolean> flags(Flags.Flag flag) throws Exception {
        return inbox().flags(flag);
    }

    private JakartaImapView inbox() {
        return new JakartaImapView(mailServer.getImap().getPort(), "alice", PASSWORD);
    }

    /** A name or password as a client would send it, in UTF-8. */
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
