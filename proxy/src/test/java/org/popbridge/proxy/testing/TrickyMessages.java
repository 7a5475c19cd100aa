package org.popbridge.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Messages that break careless POP3 relays: dots at line starts, 8-bit octets, long lines, no final CRLF. */
public final class TrickyMessages {

    private TrickyMessages() {
    }

    public static List<MessageSource> corpus() {
        List<MessageSource> messages = new ArrayList<>();
        messages.add(MessageSource.of(header("dots") + "first\r\n.\r\n..\r\n...\r\n.leading dot\r\n. \r\n.\r\nlast\r\n"));
        messages.add(MessageSource.of(header("starts with a dot line") + ".\r\n"));
        messages.add(MessageSource.of(eightBit()));
        messages.add(MessageSource.of(header("998-octet line") + "x".repeat(998) + "\r\n." + "y".repeat(997) + "\r\n"));
        messages.add(MessageSource.of(header("no final CRLF") + "the last line has no line end"));
        messages.add(MessageSource.of(header("ends with a dot, no CRLF") + "text\r\n."));
        messages.add(MessageSource.of(header("bare CR and LF") + "a\rb\nc\r\n\r.\r\n\n.\n"));
        messages.add(MessageSource.of(header("empty body")));
        return messages;
    }

    /** The corpus plus a 10 MB attachment. */
    public static List<MessageSource> corpusWithLargeAttachment() {
        List<MessageSource> messages = new ArrayList<>(corpus());
        messages.add(MessageSource.generated(10L * 1024 * 1024));
        return messages;
    }

    static String header(String subject) {
        return "From: tricky@example.org\r\nTo: user@example.org\r\nSubject: " + subject + "\r\n\r\n";
    }

    private static byte[] eightBit() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header("8-bit").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("Caf\u00e9 cr\u00e8me\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int b = 0x80; b <= 0xFF; b++) {
            out.write(b);
        }
        out.writeBytes("\r\n\u00a0.\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("UTF-8: \u00fcber \u2713\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
