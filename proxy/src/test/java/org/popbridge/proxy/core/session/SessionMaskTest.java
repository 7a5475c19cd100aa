package org.popbridge.proxy.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * After an AUTH refused before its exchange began, the client may send its SASL responses
 * anyway: every line up to the next command is masked whole, whatever it looks like.
 */
class SessionMaskTest {

    private static final CommandMask POP3_LIKE = new CommandMask(Set.of("USER", "PASS", "AUTH", "STAT", "QUIT", "NOOP"));

    private final SessionMask lines = new SessionMask(POP3_LIKE);

    @Test
    void linesAfterARefusedAuthAreMaskedUntilTheNextCommand() {
        assertThat(lines.command("AUTH LOGIN")).hasToString("AUTH LOGIN");
        // "alice" and "hunter" in base64: the second looks like a command word.
        assertThat(lines.command("YWxpY2U=")).hasToString("****");
        assertThat(lines.command("aHVudGVy")).hasToString("****");
        assertThat(lines.command("NOOP")).hasToString("NOOP");
        assertThat(lines.command("aHVudGVy")).hasToString("AHVUDGVY");
    }

    @Test
    void anAuthThatWasChallengedLeavesNothingToMask() {
        assertThat(lines.command("AUTH PLAIN")).hasToString("AUTH PLAIN");
        lines.challenged();
        // The exchange's lines never reach the mask; what follows it is read as usual.
        assertThat(lines.command("XTND")).hasToString("XTND");
    }

    @Test
    void anAuthWithItsInitialResponseMasksWhatFollowsItToo() {
        // AUTH LOGIN with the user name: the password comes next, even after a refusal.
        assertThat(lines.command("AUTH LOGIN YWxpY2U=")).hasToString("AUTH LOGIN ****");
        assertThat(lines.command("aHVudGVy")).hasToString("****");
        assertThat(lines.command("STAT")).hasToString("STAT");
    }

    @Test
    void aBareAuthListsMechanismsAndNoResponseFollows() {
        assertThat(lines.command("AUTH")).hasToString("AUTH");
        assertThat(lines.command("XTND")).hasToString("XTND");
    }

    @Test
    void aSecretBearingLineIsMaskedWholeWhenItIsNoCommandOfTheProtocol() {
        CommandMask smtpLike = new CommandMask(Set.of("EHLO", "AUTH", "MAIL", "QUIT"));
        SessionMask smtp = new SessionMask(smtpLike);
        assertThat(smtp.command("PASS hunter2")).hasToString("PASS ****");
        assertThat(smtp.command("AUTH PLAIN")).hasToString("AUTH PLAIN");
        assertThat(smtp.command("PASS hunter2")).hasToString("****");
        assertThat(smtp.command("MAIL FROM:<alice@example.org>")).hasToString("MAIL FROM:<alice@example.org>");
    }
}
