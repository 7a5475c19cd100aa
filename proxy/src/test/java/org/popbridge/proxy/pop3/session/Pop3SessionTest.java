package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session's state machine and ordering on an embedded channel, against a scripted upstream:
 * what a client sees on the wire, and what goes upstream when (RFC 1939, RFC 2449 section 6.6).
 */
class Pop3SessionTest {

    private final SessionHarness session = SessionHarness.relay();

    @AfterEach
    void noBufferLeaks() {
        session.close();
    }

    @Test
    void greetsOnlyOnceTheUpstreamIsReadyThenRelaysTheLoginInOrder() {
        // Commands typed before the greeting wait for the upstream; fed a byte at a time throughout.
        session.clientSendsByteByByte("USER alice\r\n");
        assertThat(session.clientSees()).as("no greeting before the upstream is ready").isEmpty();
        assertThat(session.upstream.takeSent()).isEmpty();

        session.upstream.becomesReady();
        assertThat(session.clientSees()).isEqualTo("+OK popbridge ready\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("USER alice");

        session.clientSendsByteByByte("PASS s3cret\r\n");
        assertThat(session.upstream.takeSent()).as("PASS waits for the reply to USER").isEmpty();
        session.upstream.ok("send PASS");
        assertThat(session.clientSees()).isEqualTo("+OK send PASS\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("PASS s3cret");

        session.upstream.ok("alice logged in");
        assertThat(session.clientSees()).isEqualTo("+OK alice logged in\r\n");

        // Relayed, not refused: the session is in TRANSACTION.
        session.clientSendsByteByByte("STAT\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("STAT");
        session.upstream.ok("2 320");
        assertThat(session.clientSees()).isEqualTo("+OK 2 320\r\n");
    }

    @Test
    void aRefusedPassLeavesTheSessionInAuthorization() {
        session.upstream.becomesReady();
        session.clientSends("USER alice\r\n");
        session.upstream.ok("send PASS");
        session.clientSends("PASS wrong\r\n");
        session.upstream.err("[AUTH] invalid password");
        session.clientSends("STAT\r\n");

        assertThat(session.clientSees()).isEqualTo("+OK popbridge ready\r\n+OK send PASS\r\n"
                + "-ERR [AUTH] invalid password\r\n-ERR STAT not allowed in AUTHORIZATION state\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("USER alice", "PASS wrong");
    }

    @Test
    void onAPipeliningUpstreamCommandsWrittenTogetherGoUpBeforeAnyReplyAndRepliesKeepTheirOrder() {
        session.login("PIPELINING", "UIDL");
        session.clientSends("RETR 1\r\nNOOP\r\nRETR 2\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("RETR 1", "NOOP", "RETR 2");
        assertThat(session.clientSees()).isEmpty();

        session.upstream.multiline("41 octets", "Subject: one\r\n\r\nfirst\r\n");
        session.upstream.ok("still here");
        session.upstream.multiline("45 octets", "Subject: two\r\n\r\n.starts with a dot\r\n");

        assertThat(session.clientSees()).isEqualTo("+OK 41 octets\r\nSubject: one\r\n\r\nfirst\r\n.\r\n"
                + "+OK still here\r\n"
                + "+OK 45 octets\r\nSubject: two\r\n\r\n..starts with a dot\r\n.\r\n");
    }

    @Test
    void withoutPipeliningEachCommandWaitsForThePreviousReply() {
        session.login("UIDL");
        session.clientSends("RETR 1\r\nNOOP\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("RETR 1");

        session.upstream.multiline("7 octets", "hello\r\n");
        assertThat(session.upstream.takeSent()).containsExactly("NOOP");
        session.upstream.ok("");

        assertThat(session.clientSees()).isEqualTo("+OK 7 octets\r\nhello\r\n.\r\n+OK\r\n");
    }

    @Test
    void quitWaitsForEarlierRepliesAndNothingAfterItIsSent() {
        session.login("PIPELINING");
        session.clientSends("RETR 1\r\nQUIT\r\nNOOP\r\n");
        assertThat(session.upstream.takeSent()).as("QUIT may change the state: it is a barrier")
                .containsExactly("RETR 1");

        session.upstream.ok("5 octets");
        session.upstream.content("body\r\n");
        assertThat(session.upstream.takeSent()).as("not before RETR's reply has ended").isEmpty();
        session.upstream.end();
        assertThat(session.upstream.takeSent()).containsExactly("QUIT");

        session.upstream.ok("bye, 0 messages deleted");
        assertThat(session.clientSees()).isEqualTo("+OK 5 octets\r\nbody\r\n.\r\n+OK bye, 0 messages deleted\r\n");
        assertThat(session.channel.isOpen()).isFalse();
        assertThat(session.upstream.everSent()).doesNotContain("NOOP");
    }

    @Test
    void anUpstreamLostMidReplyCutsTheClientOffWithoutEndingTheBody() {
        session.login();
        session.clientSends("RETR 1\r\n");
        session.upstream.ok("300 octets");
        session.upstream.content("Subject: cut short\r\n\r\n");
        session.upstream.content("first half\r\n");
        String beforeTheCut = session.clientSees();
        assertThat(beforeTheCut).isEqualTo("+OK 300 octets\r\nSubject: cut short\r\n\r\nfirst half\r\n");

        session.upstream.fails(UpstreamFailure.LOST);

        // Invariant 2: a truncated message must never look complete; nor may -ERR follow the body.
        String wire = beforeTheCut + session.clientSees();
        assertThat(wire).doesNotEndWith("\r\n.\r\n").doesNotContain("-ERR");
        assertThat(session.channel.isOpen()).isFalse();
    }

    @Test
    void anUpstreamLostBetweenRepliesIsExplainedBeforeClosing() {
        session.login();
        session.upstream.fails(UpstreamFailure.LOST);

        assertThat(session.clientSees()).isEqualTo("-ERR [SYS/TEMP] Connection to the mail server lost\r\n");
        assertThat(session.channel.isOpen()).isFalse();
    }

    @Test
    void aClientThatDisconnectsAfterDeleLeavesTheUpstreamWithoutQuit() {
        session.login();
        session.clientSends("DELE 1\r\n");
        session.upstream.ok("message 1 deleted");
        assertThat(session.clientSees()).isEqualTo("+OK message 1 deleted\r\n");

        session.channel.close();
        session.channel.runPendingTasks();

        // Invariant 1: only QUIT applies deletions, and the client never said it.
        assertThat(session.upstream.connectionClosed()).isTrue();
        assertThat(session.upstream.everSent()).containsExactly("USER alice", "PASS s3cret", "DELE 1");
    }

    @Test
    void aTransactionCommandBeforeLoginIsRefusedAndNotRelayed() {
        session.upstream.becomesReady();
        session.clientSends("STAT\r\n");

        assertThat(session.clientSees())
                .isEqualTo("+OK popbridge ready\r\n-ERR STAT not allowed in AUTHORIZATION state\r\n");
        assertThat(session.upstream.everSent()).isEmpty();
        assertThat(session.channel.isOpen()).isTrue();
    }

    @Test
    void oneProtocolErrorTooManyClosesTheConnection() {
        session.upstream.becomesReady();
        session.clientSees();
        for (int error = 1; error <= SessionHarness.PROTOCOL_ERRORS; error++) {
            session.clientSends("XYZZY\r\n");
            assertThat(session.clientSees()).isEqualTo("-ERR Unknown command\r\n");
            assertThat(session.channel.isOpen()).as("after error %d", error).isTrue();
        }

        session.clientSends("RETR 1\r\n");

        assertThat(session.clientSees()).isEqualTo("-ERR Too many errors, closing connection\r\n");
        assertThat(session.channel.isOpen()).isFalse();
        assertThat(session.upstream.everSent()).isEmpty();
        assertThat(session.upstream.connectionClosed()).isTrue();
    }

    @Test
    void aValidCommandResetsTheErrorCount() {
        session.upstream.becomesReady();
        for (int error = 1; error <= SessionHarness.PROTOCOL_ERRORS; error++) {
            session.clientSends("STAT\r\n");
        }
        session.clientSends("USER alice\r\n");
        session.upstream.ok("send PASS");
        for (int error = 1; error <= SessionHarness.PROTOCOL_ERRORS; error++) {
            session.clientSends("STAT\r\n");
        }

        assertThat(session.channel.isOpen()).isTrue();
        assertThat(session.clientSees()).doesNotContain("Too many errors");
    }
}
