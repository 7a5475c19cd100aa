package org.popbridge.proxy.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The one renderer of client and server text in the logs: escaped, capped, and lazy. */
class LogTextTest {

    @Test
    void controlCharactersAreEscaped() {
        assertThat(LogText.of("alice@example.org")).hasToString("alice@example.org");
        assertThat(LogText.of("\u001b]0;pwned\u0007\u001b[2J")).hasToString("\\e]0;pwned\\x07\\e[2J");
        assertThat(LogText.of("CR\rLF\nTAB\t")).hasToString("CR\\rLF\\nTAB\\t");
        assertThat(LogText.of("nul\u0000 del\u007f")).hasToString("nul\\x00 del\\x7f");
        assertThat(LogText.of("c1 csi\u009b nel\u0085")).hasToString("c1 csi\\x9b nel\\x85");
        assertThat(LogText.of("sep\u2028para\u2029")).hasToString("sep\\u2028para\\u2029");
        assertThat(LogText.of("bidi\u202eevil\u2066")).hasToString("bidi\\u202eevil\\u2066");
        // The backslash too, so that "\\e" in the log is always an ESC the client sent.
        assertThat(LogText.of("back\\slash \\e")).hasToString("back\\\\slash \\\\e");
        assertThat(LogText.of("é ü nbsp\u00a0ok")).hasToString("é ü nbsp\u00a0ok");
    }

    @Test
    void everyControlCharacterIsEscaped() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        String shown = LogText.of(all.substring(0, 0xa0)).toString();
        assertThat(shown.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))).isEmpty();
        assertThat(shown).contains("\\x1f", " !\"#", "~\\x7f\\x80", "\\x9f");
    }

    @Test
    void longTextIsCutAndSaysHowMuchIsLeft() {
        assertThat(LogText.of("a".repeat(LogText.LIMIT))).hasToString("a".repeat(LogText.LIMIT));
        assertThat(LogText.of("a".repeat(LogText.LIMIT + 55))).hasToString("a".repeat(LogText.LIMIT) + "…(55 more)");
        // Escapes do not count against the limit, nor are they cut in half.
        assertThat(LogText.of("\u001b".repeat(LogText.LIMIT + 1)))
                .hasToString("\\e".repeat(LogText.LIMIT) + "…(1 more)");
        // A character outside the BMP is never split.
        String astral = "a".repeat(LogText.LIMIT - 1) + "\ud83d\ude00" + "b";
        assertThat(LogText.of(astral)).hasToString("a".repeat(LogText.LIMIT - 1) + "…(3 more)");
    }

    @Test
    void anythingIsRenderedByItsToString() {
        assertThat(LogText.of(null)).hasToString("null");
        assertThat(LogText.of(java.util.List.of("TOP", "X\rY"))).hasToString("[TOP, X\\rY]");
    }

    @Test
    void nothingIsRenderedWhenTheLineIsNotWritten() {
        AtomicInteger rendered = new AtomicInteger();
        Object value = new Object() {
            @Override
            public String toString() {
                rendered.incrementAndGet();
                return "user";
            }
        };
        Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(LogTextTest.class);
        ListAppender<ILoggingEvent> written = new ListAppender<>();
        written.start();
        logger.addAppender(written);
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        try {
            logger.debug("user {}", LogText.of(value));
            assertThat(rendered).hasValue(0);
            logger.info("user {}", LogText.of(value));
            assertThat(written.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).isEqualTo("user user");
            assertThat(rendered).hasValue(1);
        } finally {
            logger.setLevel(previous);
            logger.detachAppender(written);
        }
    }
}
