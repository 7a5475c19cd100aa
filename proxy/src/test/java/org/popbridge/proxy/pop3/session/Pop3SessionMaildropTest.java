package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;

/**
 * A session that numbers the maildrop itself, as for an upstream that serves messages only by
 * identity (IMAP): STAT, LIST and UIDL are answered locally, marks live in the session until
 * QUIT commits exactly them (RFC 1939 section 6).
 */
class Pop3SessionMaildropTest {

    private static final MaildropEntry FIRST = MaildropEntry.unfiltered(1, "uid-a", 100);
    private static final MaildropEntry SECOND = MaildropEntry.unfiltered(2, "uid-b", 200);
    private static final MaildropEntry THIRD = MaildropEntry.unfiltered(3, "uid-c", 300);
    private static final String FULL_LISTING = "+OK 3 messages (600 octets)\r\n1 100\r\n2 200\r\n3 300\r\n.\r\n";

    private final SessionHarness session = new SessionHarness(List.of(FIRST, SECOND, THIRD));
    private ScriptedUpstream.ScriptedMailbox mailbox;

    @BeforeEach
    void logIn() {
        // PIPELINING, as an IMAP upstream advertises (LocalAuthorization.CAPABILITIES).
        session.login("PIPELINING");
        mailbox = session.upstream.scriptedMailbox();
        assertThat(mailbox.calls()).as("the maildrop is numbered before the client's +OK").containsExactly("list");
    }

    @AfterEach
    void noBufferLeaks() {
        session.close();
    }

    @Test
    void statListAndUidlAreAnsweredFromTheMaildropWithoutAskingTheUpstream() {
        session.clientSends("STAT\r\n");
        session.clientSends("LIST\r\n");
        session.clientSends("UIDL\r\n");
        session.clientSends("LIST 2\r\n");

        assertThat(session.clientSees()).isEqualTo("+OK 3 600\r\n"
                + FULL_LISTING
                + "+OK 3 messages (600 octets)\r\n1 uid-a\r\n2 uid-b\r\n3 uid-c\r\n.\r\n"
                + "+OK 2 200\r\n");
        assertThat(session.upstream.everSent()).containsExactly("USER alice", "PASS s3cret");
        assertThat(mailbox.calls()).containsExactly("list");
    }

    @Test
    void deleHidesAMessageFromListingsAndRsetBringsItBack() {
        session.clientSends("DELE 2\r\n");
        assertThat(session.clientSees()).isEqualTo("+OK message 2 deleted\r\n");

        session.clientSends("LIST\r\n");
        session.clientSends("STAT\r\n");
        session.clientSends("DELE 2\r\n");
        assertThat(session.clientSees()).isEqualTo("+OK 2 messages (400 octets)\r\n1 100\r\n3 300\r\n.\r\n"
                + "+OK 2 400\r\n"
                + "-ERR message 2 already deleted\r\n");

        session.clientSends("RSET\r\n");
        session.clientSends("LIST\r\n");
        assertThat(session.clientSees()).isEqualTo("+OK maildrop reset\r\n" + FULL_LISTING);
        assertThat(mailbox.calls()).containsExactly("list", "mark 2", "reset");
        assertThat(session.upstream.everSent()).containsExactly("USER alice", "PASS s3cret");
    }

    @Test
    void quitCommitsExactlyTheMessagesStillMarked() {
        // All in one write: each waits its turn, as the mailbox answers on later turns of the loop.
        session.clientSends("DELE 2\r\nRSET\r\nDELE 1\r\nDELE 3\r\nQUIT\r\n");

        assertThat(session.clientSees()).isEqualTo("+OK message 2 deleted\r\n+OK maildrop reset\r\n"
                + "+OK message 1 deleted\r\n+OK message 3 deleted\r\n+OK bye\r\n");
        assertThat(mailbox.committed()).containsExactly(FIRST, THIRD);
        assertThat(mailbox.calls()).containsExactly("list", "mark 2", "reset", "mark 1", "mark 3", "commit");
        assertThat(session.upstream.everSent()).as("QUIT goes through the mailbox, not as a relayed line")
                .containsExactly("USER alice", "PASS s3cret");
        assertThat(session.channel.isOpen()).isFalse();
    }

    @Test
    void aClientThatDisconnectsAfterDeleCommitsNothing() {
        session.clientSends("DELE 1\r\n");
        assertThat(session.clientSees()).isEqualTo("+OK message 1 deleted\r\n");

        session.channel.close();
        session.channel.runPendingTasks();

        assertThat(mailbox.committed()).isNull();
        assertThat(session.upstream.connectionClosed()).isTrue();
    }

    @Test
    void aRefusedMessageNumberIsAnsweredAfterTheRepliesBeforeIt() {
        session.clientSends("DELE 1\r\nDELE 9\r\n");

        assertThat(session.clientSees()).isEqualTo("+OK message 1 deleted\r\n-ERR no such message\r\n");
    }

    @Test
    void aMessageDeletedTwiceInOnePipelineIsRefusedTheSecondTime() {
        session.clientSends("DELE 2\r\nDELE 2\r\n");

        assertThat(session.clientSees()).isEqualTo("+OK message 2 deleted\r\n-ERR message 2 already deleted\r\n");
        assertThat(mailbox.calls()).containsExactly("list", "mark 2");
    }
}
