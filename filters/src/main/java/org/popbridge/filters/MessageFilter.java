package org.popbridge.filters;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * A filter for one message, fresh for each: it may keep state between its calls. The proxy
 * calls it on one thread at a time, in this order: {@link #headers}, then {@link #body} for
 * each chunk if its filter {@linkplain ConfiguredFilter#watchesBodies() watches bodies}, then
 * {@link #end}. It must not block: a filter that waits on something returns an incomplete stage.
 */
@FunctionalInterface
public interface MessageFilter {

    /**
     * Looks at the header block, may edit it, and gives a verdict. The block is this filter's
     * own copy; it is used only if the verdict comes within the time budget and without error.
     */
    CompletionStage<Verdict> headers(HeaderBlock headers);

    /**
     * A piece of the body, after the header block, unstuffed and exactly as stored upstream.
     * The buffer is read-only and valid only during the call. The body cannot be changed:
     * it streams to the client as it comes.
     */
    default void body(ByteBuffer chunk) {
    }

    /** The message is over: complete, or cut short (upstream failure, client gone, TOP). */
    default void end(boolean complete) {
    }
}
