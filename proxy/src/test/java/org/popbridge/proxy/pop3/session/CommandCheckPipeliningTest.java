package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.pop3.OverlongLine;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3State;

/** Which commands may go upstream before the replies to those already sent (RFC 2449 section 6.6). */
class CommandCheckPipeliningTest {

    private static final UpstreamCapabilities PIPELINING = new UpstreamCapabilities(List.of("PIPELINING", "UIDL"));

    @Test
    void wellFormedTransactionCommandsPipelineOnAPipeliningUpstream() {
        assertThat(pipelinable("RETR 1", PIPELINING, false)).isTrue();
        assertThat(pipelinable("LIST", PIPELINING, false)).isTrue();
    }

    @Test
    void notWithoutPipeliningNorOutsideTransaction() {
        assertThat(pipelinable("RETR 1", UpstreamCapabilities.none(), false)).isFalse();
        assertThat(CommandCheck.pipelinable(new Pop3Command("CAPA"), Pop3State.AUTHORIZATION, PIPELINING, false))
                .isFalse();
    }

    @Test
    void notACommandThatMayChangeTheStateNorAMalformedOne() {
        assertThat(pipelinable("QUIT", PIPELINING, false)).isFalse();
        assertThat(pipelinable("RETR one", PIPELINING, false)).isFalse();
        assertThat(pipelinable("XYZZY", PIPELINING, false)).isFalse();
        assertThat(CommandCheck.pipelinable(new OverlongLine(255), Pop3State.TRANSACTION, PIPELINING, false))
                .isFalse();
    }

    @Test
    void withAMaildropTheCommandsItAnswersWaitTheirTurn() {
        assertThat(pipelinable("LIST", PIPELINING, true)).isFalse();
        assertThat(pipelinable("STAT", PIPELINING, true)).isFalse();
        assertThat(pipelinable("RETR 1", PIPELINING, true)).isTrue();
    }

    private static boolean pipelinable(String line, UpstreamCapabilities capabilities, boolean maildropKnown) {
        return CommandCheck.pipelinable(new Pop3Command(line), Pop3State.TRANSACTION, capabilities, maildropKnown);
    }
}
