package org.popbridge.proxy.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.proxy.testing.CodecInput.drainWritten;
import static org.popbridge.proxy.smtp.SmtpCodecFixtures.eightBitOctets;
import static org.popbridge.proxy.testing.CodecInput.channel;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.testing.TrackingAllocator;

class SmtpReplyEncoderTest {

    private static final SmtpReplyEncoder ENCODER = new SmtpReplyEncoder();

    private final TrackingAllocator allocator = new TrackingAllocator();

    @AfterEach
    void everyBufferReleased() {
        allocator.assertAllReleased();
    }

    private String encode(SmtpReply... replies) {
        EmbeddedChannel channel = channel(allocator, ENCODER);
        for (SmtpReply reply : replies) {
            channel.writeOutbound(reply);
        }
        String written = drainWritten(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return written;
    }

    @Test
    void oneLineReply() {
        assertThat(encode(SmtpReply.of(250, "2.1.0 Ok"))).isEqualTo("250 2.1.0 Ok\r\n");
        assertThat(encode(SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>")))
                .isEqualTo("354 End data with <CR><LF>.<CR><LF>\r\n");
    }

    @Test
    void multiLineReplyUsesHyphensUntilTheLastLine() {
        SmtpReply ehlo = new SmtpReply(250, List.of("mail.example.org", "PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME"));
        assertThat(encode(ehlo)).isEqualTo(
                "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
        assertThat(encode(new SmtpReply(250, List.of("first", "second", "last"))))
                .isEqualTo("250-first\r\n250-second\r\n250 last\r\n");
    }

    @Test
    void emptyTextKeepsTheSpace() {
        assertThat(encode(SmtpReply.of(250, ""))).isEqualTo("250 \r\n");
        assertThat(encode(new SmtpReply(221, List.of()))).isEqualTo("221 \r\n");
        assertThat(encode(new SmtpReply(250, List.of("", "x", "")))).isEqualTo("250-\r\n250-x\r\n250 \r\n");
    }

    @Test
    void repliesInARowAndAcrossChannelsShareOneEncoder() {
        assertThat(encode(SmtpReply.of(220, "ready"), SmtpReply.of(535, "5.7.8 Authentication failed")))
                .isEqualTo("220 ready\r\n535 5.7.8 Authentication failed\r\n");
        assertThat(encode(SmtpReply.of(221, "bye"))).isEqualTo("221 bye\r\n");
    }

    @Test
    void eightBitTextIsWrittenOctetForOctet() {
        String text = "Gr\u00fc\u00dfe " + eightBitOctets();
        assertThat(encode(SmtpReply.of(250, text))).isEqualTo("250 " + text + "\r\n");
    }

    @Test
    void textWithALineEndIsRefusedNotSplit() {
        EmbeddedChannel channel = channel(allocator, ENCODER);
        ChannelFuture write = channel.writeOneOutbound(SmtpReply.of(250, "ok\r\n250 forged"));
        channel.flushOutbound();
        assertThat(write.cause()).isInstanceOf(EncoderException.class);
        assertThat(drainWritten(channel)).isEmpty();
        channel.writeOutbound(SmtpReply.of(250, "ok"));
        assertThat(drainWritten(channel)).isEqualTo("250 ok\r\n");
        channel.finishAndReleaseAll();
    }
}
