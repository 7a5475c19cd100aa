package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link MessageSink} that copies what it gets and says how the stream ended. */
final class CollectingSink implements MessageSink {

    enum End { END, GONE, FAILURE }

    final ByteArrayOutputStream octets = new ByteArrayOutputStream();
    final CompletableFuture<End> end = new CompletableFuture<>();
    volatile long startSize = Long.MIN_VALUE;
    volatile int chunks;
    volatile int ends;
    volatile ImapLinkException failure;

    @Override
    public void onStart(long size) {
        startSize = size;
    }

    @Override
    public void onChunk(ByteBuf chunk) {
        try {
            byte[] copy = new byte[chunk.readableBytes()];
            chunk.readBytes(copy);
            synchronized (octets) {
                octets.writeBytes(copy);
            }
            chunks++;
        } finally {
            chunk.release();
        }
    }

    @Override
    public void onEnd() {
        ends++;
        end.complete(End.END);
    }

    @Override
    public void onGone() {
        end.complete(End.GONE);
    }

    @Override
    public void onFailure(ImapLinkException cause) {
        failure = cause;
        end.complete(End.FAILURE);
    }

    End await() throws Exception {
        return end.get(20, TimeUnit.SECONDS);
    }

    byte[] bytes() {
        synchronized (octets) {
            return octets.toByteArray();
        }
    }
}
