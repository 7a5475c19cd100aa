package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusLineTest {

    @Test
    void parsesTheThreeIndicators() {
        assertThat(StatusLine.parse("+OK 2 messages (320 octets)")).isEqualTo(StatusLine.ok("2 messages (320 octets)"));
        assertThat(StatusLine.parse("-ERR [AUTH] invalid password")).isEqualTo(StatusLine.err("[AUTH] invalid password"));
        assertThat(StatusLine.parse("+ dGVzdA==")).isEqualTo(new StatusLine(StatusLine.Status.CONTINUATION, "dGVzdA=="));
        assertThat(StatusLine.parse("+OK")).isEqualTo(StatusLine.ok(""));
        assertThat(StatusLine.parse("-ERR")).isEqualTo(StatusLine.err(""));
        assertThat(StatusLine.parse("+OK").isOk()).isTrue();
        assertThat(StatusLine.parse("-ERR").isOk()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "OK", "* OK IMAP", "+ok lower case", "-err lower case", "ERR", " +OK"})
    void lineWithoutAStatusIndicatorIsNotAReply(String line) {
        assertThat(StatusLine.parse(line)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
        "-ERR [SYS/TEMP] try again",
        "+OK  two spaces kept",
        "+OK",
        "-ERR",
        "+ ",
        "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+",
        "+OK Gr\u00fc\u00dfe \u00ff",
    })
    void wellFormedLinesAreWrittenBackAsTheyCame(String line) {
        assertThat(StatusLine.parse(line).line()).isEqualTo(line);
    }
}
