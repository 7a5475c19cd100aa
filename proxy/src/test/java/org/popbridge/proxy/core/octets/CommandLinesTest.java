package org.popbridge.proxy.core.octets;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines within the limit come out whole; a longer one is reported once and never held. */
class CommandLinesTest {

    private static final int LIMIT = 10;

    private final CommandLines lines = new CommandLines();

    @Test
    void linesComeOutWithoutTheirEndsAndAPartialLineWaits() {
        ByteBuf in = octets("NOOP\r\nSTAT\nLI");
        assertThat(takeAll(in)).containsExactly("NOOP", "STAT");
        assertThat(in.readableBytes()).as("the partial line stays for the next read").isEqualTo(2);
        in.release();
    }

    @Test
    void aLineOfExactlyTheLimitPassesOneOctetMoreIsOverlong() {
        ByteBuf in = octets("12345678\r\n123456789\r\nNOOP\r\n");
        assertThat(takeAll(in)).containsExactly("12345678", "OVERLONG", "NOOP");
        in.release();
    }

    @Test
    void anEndlessLineIsReportedOnceAndItsOctetsAreDroppedAsTheyCome() {
        List<String> seen = new ArrayList<>();
        for (String piece : List.of("0123456789", "abcdefghij", "klmn\r\nNOOP\r\n")) {
            ByteBuf in = octets(piece);
            seen.addAll(takeAll(in));
            assertThat(in.readableBytes()).as("nothing of the overlong line is held").isZero();
            in.release();
        }
        assertThat(seen).containsExactly("OVERLONG", "NOOP");
    }

    @Test
    void resetForgetsALineBeingDropped() {
        ByteBuf first = octets("0123456789");
        assertThat(takeAll(first)).containsExactly("OVERLONG");
        first.release();
        lines.reset();
        ByteBuf second = octets("rest\r\n");
        assertThat(takeAll(second)).as("after a reset, the next octets are a new line").containsExactly("rest");
        second.release();
    }

    private List<String> takeAll(ByteBuf in) {
        List<String> taken = new ArrayList<>();
        while (true) {
            int lf = lines.next(in, LIMIT);
            if (lf == CommandLines.MORE) {
                return taken;
            }
            taken.add(lf == CommandLines.OVERLONG ? "OVERLONG" : LineText.take(in, lf));
        }
    }

    private static ByteBuf octets(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }
}
