package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.SessionCommand;

/** Secrets are masked again by keyword, whether or not they came masked. */
class AuditMaskTest {

    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "PASS | hunter2                                | PASS ****",
            "PASS | two words                              | PASS ****",
            "pass | hunter2                                | pass ****",
            "PASS | ****                                   | PASS ****",
            "PASS | ''                                     | PASS",
            "APOP | alice c4c9334bac560ecc979e58001b3e22fb | APOP alice ****",
            "APOP | alice   c4c9334bac560ecc  extra        | APOP alice ****",
            "APOP | alice ****                             | APOP alice ****",
            "APOP | c4c9334bac560ecc979e58001b3e22fb       | APOP ****",
            "AUTH | PLAIN AGFsaWNlAGh1bnRlcjI=             | AUTH PLAIN ****",
            "AUTH | PLAIN =                                | AUTH PLAIN ****",
            "Auth | XOAUTH2 dXNlcj1hbGljZQFhdXRoPUJlYXJlcg | Auth XOAUTH2 ****",
            "AUTH | PLAIN                                  | AUTH PLAIN",
            "AUTH | ''                                     | AUTH",
            "USER | alice                                  | USER alice",
            "RETR | 1                                      | RETR 1",
            "TOP  | 1 10                                   | TOP 1 10",
            "QUIT | ''                                     | QUIT"})
    void secretsAreMaskedByKeyword(String keyword, String arguments, String logged) {
        assertThat(AuditMask.command(new SessionCommand(keyword, arguments, "alice"))).isEqualTo(logged);
    }

    /**
     * Issue 12: a keyword that came unsplit, its secret glued to it by TAB, VT, FF, NBSP or ':'
     * (a session reads the keyword up to the first space), is masked as if it had been split.
     */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\t", "\u000b", "\f", "\u00a0", ":"})
    void aSecretGluedToItsKeywordIsMaskedToo(String separator) {
        assertThat(AuditMask.command(new SessionCommand("PASS" + separator + "HUNTER2", "", "alice")))
                .isEqualTo("PASS ****");
        assertThat(AuditMask.command(new SessionCommand("pass" + separator + "HUNTER2", "and more", "alice")))
                .isEqualTo("pass ****");
        assertThat(AuditMask.command(new SessionCommand("APOP", "alice" + separator + "c4c9334bac560ecc", "alice")))
                .isEqualTo("APOP alice ****");
        assertThat(AuditMask.command(new SessionCommand("AUTH", "PLAIN" + separator + "AGFsaWNl", "alice")))
                .isEqualTo("AUTH PLAIN ****");
    }

    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "PASSHUNTER2  | ''                   | PASS ****",
            "AUTH         | dGVzdA==             | AUTH ****",
            "AUTH         | ****                 | AUTH ****",
            "****         | ''                   | ****",
            "XTND         | ''                   | XTND"})
    void oddLinesAreMaskedToo(String keyword, String arguments, String logged) {
        assertThat(AuditMask.command(new SessionCommand(keyword, arguments, null))).isEqualTo(logged);
    }

    @ParameterizedTest
    @CsvSource({"PASS", "APOP", "AUTH", "STAT"})
    void missingArgumentsAreNotAnError(String keyword) {
        assertThat(AuditMask.command(new SessionCommand(keyword, null, null))).isEqualTo(keyword);
    }
}
