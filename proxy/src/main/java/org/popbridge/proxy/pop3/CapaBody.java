package org.popbridge.proxy.pop3;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the body of a CAPA reply (RFC 2449 section 5). A capability list is a few hundred
 * octets; past the bound the rest is dropped, so a misbehaving upstream cannot grow it.
 */
public final class CapaBody {

    static final int MAX_OCTETS = 16 * 1024;

    private final StringBuilder text = new StringBuilder();

    /** Takes the chunk's octets while within the bound; the chunk is released either way. */
    public void append(ContentChunk chunk) {
        try {
            ByteBuf content = chunk.content();
            if (text.length() + content.readableBytes() <= MAX_OCTETS) {
                text.append(content.toString(StandardCharsets.ISO_8859_1));
            }
        } finally {
            chunk.release();
        }
    }

    /** The capability lines collected, blank ones left out. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (String line : text.toString().split("\r?\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
