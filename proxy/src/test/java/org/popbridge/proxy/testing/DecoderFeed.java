package org.popbridge.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCounted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoder on an {@link EmbeddedChannel} fed the way a connection feeds it, read by read, for the
 * fuzz properties: records what it passed on (the octets of consecutive {@link ByteBufHolder}s
 * joined into one {@link Octets}), the first exception it raised, and the most octets it held
 * undecoded; and, once closed, checks that every buffer it or the test allocated was released.
 * After an exception nothing more is fed: the session closes the connection then.
 */
public final class DecoderFeed {

    private final TrackingAllocator allocator = new TrackingAllocator();
    private final EmbeddedChannel channel;
    private final List<Object> events = new ArrayList<>();
    private final List<ReferenceCounted> passedOn = new ArrayList<>();
    private StringBuilder octets;
    private Throwable failure;
    private long mostHeldUndecoded;

    public DecoderFeed(ChannelHandler... handlers) {
        channel = CodecInput.channel(allocator, handlers);
    }

    /** Writes each piece as one read; after each, reads what was passed on and lets {@code afterRead} act as a late session would. */
    public DecoderFeed feed(List<String> pieces, Runnable afterRead) {
        for (String piece : pieces) {
            if (failure != null) {
                break;
            }
            try {
                channel.writeInbound(allocator.copyOf(piece));
                drain();
                afterRead.run();
            } catch (RuntimeException e) {
                failure = e;
            }
            drain();
            if (failure == null) {
                // A refused stream may stay buffered until the close; only what a live decoder holds counts.
                mostHeldUndecoded = Math.max(mostHeldUndecoded, allocator.heldReadableBytes());
            }
        }
        return this;
    }

    public DecoderFeed feed(List<String> pieces) {
        return feed(pieces, () -> { });
    }

    /**
     * Closes the channel as a connection closing would, reads what the close passed on, and asserts
     * that nothing was left unread, that every output's reference count reached 0 once released,
     * and that no buffer is held any more. A decoder that keeps the octets it refused may refuse
     * them again at the close; that second exception is not a new failure.
     */
    public DecoderFeed close() {
        try {
            channel.finish();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
        drain();
        assertThat(channel.finishAndReleaseAll()).as("nothing left unread after the close").isFalse();
        assertThat(passedOn).as("outputs still referenced after release").allSatisfy(
                output -> assertThat(output.refCnt()).isZero());
        allocator.assertAllReleased();
        return this;
    }

    /**
     * Asserts that the decoder raised nothing but its own refusal of the input: a
     * {@link DecoderException} it threw itself, so with no cause (netty wraps anything else a
     * decoder throws, an IndexOutOfBoundsException say, in one with that as its cause), whose
     * message starts with one of {@code refusals}. With none given, nothing may be raised at all.
     */
    public DecoderFeed assertRaisedNothingBut(String... refusals) {
        if (failure == null) {
            return this;
        }
        assertThat(refusals).as("raised %s", failure).isNotEmpty();
        assertThat(failure).isExactlyInstanceOf(DecoderException.class).hasNoCause();
        String message = String.valueOf(failure.getMessage());
        assertThat(Arrays.stream(refusals).anyMatch(message::startsWith))
                .as("\"%s\" is one of the decoder's refusals %s", message, Arrays.toString(refusals)).isTrue();
        return this;
    }

    /** What was passed on, in order; consecutive chunks of octets are joined into one {@link Octets}. */
    public List<Object> events() {
        flushOctets();
        return List.copyOf(events);
    }

    /** The first exception raised, by a read or by the close, or null. */
    public Throwable failure() {
        return failure;
    }

    /** The most octets the decoder held undecoded after a read that raised nothing, its outputs released. */
    public long mostHeldUndecoded() {
        return mostHeldUndecoded;
    }

    private void drain() {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof ByteBufHolder holder) {
                try {
                    assertThat(holder.content().isReadable()).as("a decoder never passes on an empty chunk").isTrue();
                    octets = octets == null ? new StringBuilder() : octets;
                    octets.append(CodecInput.latin1(holder.content()));
                    passedOn.add(holder);
                } finally {
                    holder.release();
                }
                continue;
            }
            flushOctets();
            events.add(msg);
        }
    }

    private void flushOctets() {
        if (octets != null) {
            events.add(new Octets(octets.toString()));
            octets = null;
        }
    }

    /** Octets passed on in chunks (a POP3 body, message data, an IMAP literal), joined. */
    public record Octets(String latin1) {
        @Override
        public String toString() {
            return "Octets[" + CodecInput.visible(latin1) + "]";
        }
    }
}
