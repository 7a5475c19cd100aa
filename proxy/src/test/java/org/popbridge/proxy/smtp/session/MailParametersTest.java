package org.popbridge.proxy.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What popbridge reads of MAIL FROM itself: the SIZE it refuses early (RFC 1870 section 6). */
class MailParametersTest {

    @Test
    void sizeIsReadFromAnyParameterAfterThePath() {
        assertThat(MailParameters.size("FROM:<a@example.org> SIZE=4096")).isEqualTo(4096);
        assertThat(MailParameters.size("FROM:<a@example.org> BODY=8BITMIME  size=12 SMTPUTF8")).isEqualTo(12);
        assertThat(MailParameters.size("FROM:<> SIZE=999999999999")).isEqualTo(999_999_999_999L);
        assertThat(MailParameters.size("FROM:<a@example.org>SIZE=7")).isEqualTo(7);
    }

    @Test
    void noSizeOrOneThatIsNoNumberIsZero() {
        assertThat(MailParameters.size("FROM:<a@example.org>")).isZero();
        assertThat(MailParameters.size("FROM:<a@example.org> BODY=8BITMIME")).isZero();
        assertThat(MailParameters.size("FROM:<a@example.org> SIZE=")).isZero();
        assertThat(MailParameters.size("FROM:<a@example.org> SIZE=12x")).isZero();
        assertThat(MailParameters.size("FROM:<a@example.org> SIZ=12")).isZero();
        assertThat(MailParameters.size("FROM:a@example.org SIZE=12")).as("no path in brackets").isZero();
        assertThat(MailParameters.size("FROM:<SIZE=12>")).as("inside the path").isZero();
    }
}
