package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.testing.CodecInput.latin1;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImapCommandTest {

    private static List<String> wire(ImapCommand command) {
        return command.segments().stream().map(segment -> latin1(segment.octets())).toList();
    }

    private static List<Boolean> waits(ImapCommand command) {
        return command.segments().stream().map(CommandSegment::awaitsContinuation).toList();
    }

    @Test
    void loginWithAtomsIsOneSegment() {
        ImapCommand login = ImapCommand.builder("A1", "LOGIN", StringSyntax.BASE).astring("alice").secretAstring("hunter2").build();
        assertThat(wire(login)).containsExactly("A1 LOGIN alice hunter2\r\n");
        assertThat(waits(login)).containsExactly(false);
        assertThat(login.toString()).isEqualTo("A1 LOGIN alice ***").doesNotContain("hunter2");
        assertThat(login.tag()).isEqualTo("A1");
    }

    @Test
    void loginWithQuotedPassword() {
        ImapCommand login = ImapCommand.builder("A1", "LOGIN", StringSyntax.BASE)
                .astring("alice smith").secretAstring("my \"pass\"").build();
        assertThat(wire(login)).containsExactly("A1 LOGIN \"alice smith\" \"my \\\"pass\\\"\"\r\n");
        assertThat(login.toString()).isEqualTo("A1 LOGIN \"alice smith\" \"***\"");
    }

    @Test
    void synchronizingLiteralsSplitTheCommandWhereTheSenderWaits() {
        ImapCommand login = ImapCommand.builder("A1", "LOGIN", StringSyntax.BASE)
                .astring("j\u00fcrgen").secretAstring("p\u00e4ss").build();
        assertThat(wire(login)).containsExactly(
                "A1 LOGIN {7}\r\n",
                "j\u00c3\u00bcrgen {5}\r\n",
                "p\u00c3\u00a4ss\r\n");
        assertThat(waits(login)).containsExactly(true, true, false);
        assertThat(login.toString()).isEqualTo("A1 LOGIN {7} ... {5} ***");
        assertThat(login.segments().toString()).doesNotContain("p\u00c3\u00a4ss");
    }

    @Test
    void nonSynchronizingLiteralsStayInOneSegment() {
        StringSyntax plus = new StringSyntax(false, LiteralSupport.LITERAL_PLUS);
        ImapCommand login = ImapCommand.builder("A1", "LOGIN", plus).astring("bob").secretAstring("new\nline").build();
        assertThat(wire(login)).containsExactly("A1 LOGIN bob {8+}\r\nnew\nline\r\n");
        assertThat(waits(login)).containsExactly(false);
        assertThat(login.toString()).doesNotContain("line");
    }

    @Test
    void protocolTokensGoAsWritten() {
        ImapCommand fetch = ImapCommand.builder("A7", "UID", StringSyntax.BASE)
                .token("FETCH").token("1:*").token("(UID RFC822.SIZE)").build();
        assertThat(wire(fetch)).containsExactly("A7 UID FETCH 1:* (UID RFC822.SIZE)\r\n");
        ImapCommand store = ImapCommand.builder("A8", "UID", StringSyntax.BASE)
                .token("STORE").token("3,7:9").token("+FLAGS.SILENT").token("(\\Deleted)").build();
        assertThat(wire(store)).containsExactly("A8 UID STORE 3,7:9 +FLAGS.SILENT (\\Deleted)\r\n");
        ImapCommand select = ImapCommand.builder("A3", "SELECT", StringSyntax.BASE).astring("INBOX").build();
        assertThat(wire(select)).containsExactly("A3 SELECT INBOX\r\n");
    }

    @Test
    void tokensAndTagsCannotSmuggleALineEnd() {
        assertThatThrownBy(() -> ImapCommand.builder("A1", "NOOP\r\nA2 LOGOUT", StringSyntax.BASE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImapCommand.builder("A 1", "NOOP", StringSyntax.BASE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImapCommand.builder("+1", "NOOP", StringSyntax.BASE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImapCommand.builder("A1", "", StringSyntax.BASE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildingTwiceGivesTheSameCommand() {
        ImapCommand.Builder builder = ImapCommand.builder("A1", "NOOP", StringSyntax.BASE);
        assertThat(builder.build()).isEqualTo(builder.build());
    }
}
