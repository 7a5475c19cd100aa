package org.popbridge.proxy.upstream.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.ObjectUtil;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.proxy.core.octets.LineText;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * Decodes a submission server's replies (RFC 5321 section 4.2) into {@link SmtpReply}s: a line
 * "ddd-text" continues a reply, "ddd text" or "ddd" ends it. The text is read as ISO-8859-1, so
 * every octet the server wrote survives. A malformed line, a line over the limit or a reply of
 * too many lines fails with a {@link DecoderException}, which the adapter treats as a protocol
 * failure; nothing is decoded after it. A reply cut off by the connection closing is never
 * passed on. One instance per connection: it holds the reply being read.
 */
public final class SmtpReplyDecoder extends ByteToMessageDecoder {

    /** RFC 5321 section 4.5.3.1.5 allows 512 octets per reply line; servers write longer EHLO and 5xx lines. */
    public static final int DEFAULT_LINE_LIMIT = 4096;

    /** Bounds the memory one reply may take; an EHLO reply has a dozen or two lines. */
    public static final int DEFAULT_MAX_LINES = 200;

    private final int lineLimit;
    private final int maxLines;
    private final List<String> lines = new ArrayList<>();
    private int code;
    private boolean failed;

    public SmtpReplyDecoder() {
        this(DEFAULT_LINE_LIMIT, DEFAULT_MAX_LINES);
    }

    /**
     * @param lineLimit the longest line accepted, in octets with its line end
     * @param maxLines the most lines one reply may have
     */
    public SmtpReplyDecoder(int lineLimit, int maxLines) {
        this.lineLimit = ObjectUtil.checkPositive(lineLimit, "lineLimit");
        this.maxLines = ObjectUtil.checkPositive(maxLines, "maxLines");
    }

    /**
     * Throws away undecoded bytes and any unfinished reply: after the server's 220 to STARTTLS,
     * what it sent before the TLS handshake is not trusted (RFC 3207 section 6). Call it on the
     * event loop, for instance while handling that 220.
     */
    public void discardBufferedInput() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        lines.clear();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            // One reply per call: netty passes it on before decoding on, so the adapter can
            // discard what follows a 220 to STARTTLS before any of it becomes a reply.
            String line;
            while ((line = nextLine(in)) != null) {
                if (takeLine(line)) {
                    out.add(new SmtpReply(code, lines));
                    lines.clear();
                    return;
                }
            }
        } catch (DecoderException e) {
            failed = true;
            lines.clear();
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** The next complete line without its CRLF (a bare LF is tolerated), or null until one has arrived. */
    private String nextLine(ByteBuf in) {
        int start = in.readerIndex();
        // Only the first lineLimit octets may hold the line end, so an endless line is refused early.
        int lf = in.indexOf(start, start + Math.min(in.readableBytes(), lineLimit), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= lineLimit) {
                throw new DecoderException("submission server reply line longer than " + lineLimit + " octets");
            }
            return null;
        }
        return LineText.take(in, lf);
    }

    /** Adds one line to the reply being read; true when the line ended the reply. */
    private boolean takeLine(String line) {
        int lineCode = codeOf(line);
        boolean last = line.length() == 3 || line.charAt(3) == ' ';
        if (!last && line.charAt(3) != '-') {
            throw malformed("no space or hyphen after the code", line);
        }
        if (lines.isEmpty()) {
            code = lineCode;
        } else if (lineCode != code) {
            throw malformed("code differs from the reply's first line " + code, line);
        }
        if (lines.size() == maxLines) {
            throw new DecoderException("submission server reply longer than " + maxLines + " lines");
        }
        lines.add(line.length() > 4 ? line.substring(4) : "");
        return last;
    }

    private static int codeOf(String line) {
        if (line.length() < 3) {
            throw malformed("no three-digit code", line);
        }
        int value = 0;
        for (int i = 0; i < 3; i++) {
            char digit = line.charAt(i);
            if (digit < '0' || digit > '9') {
                throw malformed("no three-digit code", line);
            }
            value = value * 10 + digit - '0';
        }
        if (value < 200 || value > 599) {
            throw malformed("code out of 200-599", line);
        }
        return value;
    }

    private static DecoderException malformed(String why, String line) {
        String excerpt = line.length() > 64 ? line.substring(0, 64) + "..." : line;
        return new DecoderException("malformed submission server reply line (" + why + "): \""
                + excerpt.replaceAll("[^\\x20-\\x7E]", "?") + "\"");
    }
}
