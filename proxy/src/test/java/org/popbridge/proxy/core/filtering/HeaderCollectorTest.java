package org.popbridge.proxy.core.filtering;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The header block is found however the chunks fall, and never grows past the limit. */
class HeaderCollectorTest {

    private record Split(HeaderCollector.Progress progress, String headers, String rest) {}

    /** Feeds the message in three chunks cut at {@code first} and {@code second}. */
    private static Split feed(String message, int first, int second, int limit) {
        byte[] octets = message.getBytes(StandardCharsets.ISO_8859_1);
        HeaderCollector collector = new HeaderCollector(limit);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        HeaderCollector.Progress progress = HeaderCollector.Progress.MORE;
        int[] cuts = {0, first, second, octets.length};
        for (int i = 0; i < 3; i++) {
            ByteBuf chunk = Unpooled.wrappedBuffer(octets, cuts[i], cuts[i + 1] - cuts[i]);
            if (progress == HeaderCollector.Progress.MORE) {
                progress = collector.offer(chunk);
            }
            byte[] left = new byte[chunk.readableBytes()];
            chunk.readBytes(left);
            rest.writeBytes(left);
        }
        return new Split(progress, new String(collector.octets(), StandardCharsets.ISO_8859_1),
                rest.toString(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "From: a\r\nSubject: b\r\n\tfolded\r\n\r\nbody\r\n\r\nmore\r\n",
        "From: a\nSubject: b\n\nbody\n",
        "\r\nno headers at all\r\n",
        "X: 1\r\n\n mixed ends\r\n"})
    void theBlockEndsAtTheFirstBlankLineWhereverTheChunksAreCut(String message) {
        int end = message.contains("\r\n\r\n") && message.indexOf("\r\n\r\n") < indexOrMax(message, "\n\n")
                ? message.indexOf("\r\n\r\n") + 4 : message.startsWith("\r\n") ? 2 : message.indexOf("\n\n") + 2;
        for (int first = 0; first <= message.length(); first++) {
            for (int second = first; second <= message.length(); second++) {
                Split split = feed(message, first, second, 1024);
                assertThat(split.progress()).isEqualTo(HeaderCollector.Progress.COMPLETE);
                assertThat(split.headers()).as("cut at %d and %d", first, second).isEqualTo(message.substring(0, end));
                assertThat(split.rest()).isEqualTo(message.substring(end));
            }
        }
    }

    private static int indexOrMax(String text, String part) {
        int at = text.indexOf(part);
        return at < 0 ? Integer.MAX_VALUE : at;
    }

    @Test
    void aBlockWithoutItsBlankLineWantsMore() {
        assertThat(feed("From: a\r\nSubject: b\r\n", 5, 12, 1024).progress()).isEqualTo(HeaderCollector.Progress.MORE);
    }

    @Test
    void aLongerBlockStopsAtTheLimitAndLeavesTheRestUnread() {
        String message = "X-Long: " + "a".repeat(3000) + "\r\n\r\nbody\r\n";
        for (int first : new int[] {0, 1023, 1024, 1025, 2000}) {
            Split split = feed(message, first, first, 1024);
            assertThat(split.progress()).isEqualTo(HeaderCollector.Progress.OVER_LIMIT);
            assertThat(split.headers()).isEqualTo(message.substring(0, 1024));
            assertThat(split.rest()).isEqualTo(message.substring(1024));
        }
    }

    @Test
    void aBlockOfExactlyTheLimitIsComplete() {
        String headers = "X: " + "b".repeat(1024 - 7) + "\r\n\r\n";
        assertThat(headers).hasSize(1024);
        Split split = feed(headers + "body", 100, 1024, 1024);
        assertThat(split.progress()).isEqualTo(HeaderCollector.Progress.COMPLETE);
        assertThat(split.headers()).isEqualTo(headers);
        assertThat(split.rest()).isEqualTo("body");
    }
}
