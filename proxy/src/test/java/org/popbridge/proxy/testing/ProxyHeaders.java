package org.popbridge.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers for tests, made and read with netty's codec-haproxy, which popbridge
 * itself uses, and cut off a raw stream without reading a byte more than the header.
 */
public final class ProxyHeaders {

    /** The first octet of a v2 header's signature; a v1 header starts with "PROXY". */
    private static final int V2_FIRST_OCTET = 0x0D;

    private ProxyHeaders() {
    }

    /** "PROXY TCP4 source destination sourcePort destinationPort" and CRLF, or TCP6 for IPv6 addresses. */
    public static byte[] v1(String source, int sourcePort, String destination, int destinationPort) {
        return encode(tcp(HAProxyProtocolVersion.V1, source, sourcePort, destination, destinationPort));
    }

    /** The binary header for a TCP connection from {@code source}. */
    public static byte[] v2(String source, int sourcePort, String destination, int destinationPort) {
        return encode(tcp(HAProxyProtocolVersion.V2, source, sourcePort, destination, destinationPort));
    }

    /** The binary LOCAL header: the proxy speaks for itself (a health check). */
    public static byte[] v2Local() {
        return encode(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0));
    }

    /** Octets sent as ISO-8859-1 text, as the raw clients write. */
    public static String asText(byte[] header) {
        return new String(header, StandardCharsets.ISO_8859_1);
    }

    private static HAProxyMessage tcp(HAProxyProtocolVersion version, String source, int sourcePort,
                                      String destination, int destinationPort) {
        HAProxyProxiedProtocol protocol = source.contains(":") ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4;
        return new HAProxyMessage(version, HAProxyCommand.PROXY, protocol, source, destination, sourcePort,
                destinationPort);
    }

    private static byte[] encode(HAProxyMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        channel.writeOutbound(message);
        ByteBuf encoded = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
            channel.finishAndReleaseAll();
        }
    }

    /** Decodes exactly one header; the caller releases it. Fails if the octets are not one whole header. */
    public static HAProxyMessage decode(byte[] header) {
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(header));
        HAProxyMessage message = channel.readInbound();
        if (message == null) {
            throw new AssertionError("not a whole PROXY header: " + ByteBufUtil.hexDump(header));
        }
        channel.finishAndReleaseAll();
        return message;
    }

    /** Reads one header, v1 or v2, off {@code in} and not an octet more, so TLS or the protocol can follow. */
    public static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int first = next(in);
        header.write(first);
        if (first == V2_FIRST_OCTET) {
            // 12 octets of signature, version and command, family, then the length of what follows.
            for (int i = 1; i < 16; i++) {
                header.write(next(in));
            }
            byte[] fixed = header.toByteArray();
            int length = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
            for (int i = 0; i < length; i++) {
                header.write(next(in));
            }
            return header.toByteArray();
        }
        int previous = first;
        while (true) {
            int b = next(in);
            header.write(b);
            if (previous == '\r' && b == '\n') {
                return header.toByteArray();
            }
            previous = b;
        }
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a PROXY header");
        }
        return b;
    }
}
