package org.popbridge.proxy.upstream.imap.client;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header blocks of many messages in one pass (the login scan): "UID FETCH set
 * (BODY.PEEK[HEADER])" (RFC 9051 section 6.4.5; never \Seen), each header block streamed to
 * the {@link HeaderSink} as its literal arrives and finished when its FETCH response is, so
 * no more than one message's octets are ever under way here. The set names runs of messages
 * that are neighbours in the snapshot as "first:last": a mailbox read whole is "first:last",
 * which names exactly the snapshot's messages (UIDs only grow, so no later arrival falls in
 * it). A set longer than {@link UidSetFormat#MAX_SET_LENGTH} is cut into several commands,
 * sent back to back. A requested UID the server answers nothing for was expunged meanwhile
 * (section 6.4.8 lets UID FETCH skip missing UIDs).
 */
final class HeaderFetch {

    private final ImapLink link;
    private final MailboxSequence sequence;
    private final HeaderSink sink;
    private final Deque<Step> steps = new ArrayDeque<>();

    /** {@code wanted} in UID order, all from {@code snapshot}. */
    HeaderFetch(ImapLink link, MailboxSequence sequence, MailboxSnapshot snapshot,
                List<MailboxSnapshot.Message> wanted, HeaderSink sink) {
        this.link = link;
        this.sequence = sequence;
        this.sink = sink;
        plan(snapshot.messages(), wanted);
    }

    void start() {
        if (steps.isEmpty()) {
            sink.finished();
            return;
        }
        next(false);
    }

    private void next(boolean first) {
        Step step = steps.removeFirst();
        link.enqueue((tag, syntax) -> ImapCommand.builder(tag, "UID", syntax).token("FETCH").token(step.set)
                .token("(BODY.PEEK[HEADER])").build(), step, first);
    }

    /** Cuts the wanted messages into runs of snapshot neighbours, and the runs into commands. */
    private void plan(List<MailboxSnapshot.Message> all, List<MailboxSnapshot.Message> wanted) {
        StringBuilder set = new StringBuilder();
        Map<Long, MailboxSnapshot.Message> awaited = new LinkedHashMap<>();
        int position = 0;
        int i = 0;
        while (i < wanted.size()) {
            // The run starts at wanted[i] and goes on while the next wanted is the next in the snapshot.
            while (position < all.size() && all.get(position).uid() != wanted.get(i).uid()) {
                position++;
            }
            if (position == all.size()) {
                throw new IllegalArgumentException("UID " + wanted.get(i).uid() + " out of order or not in the snapshot");
            }
            int start = i;
            while (i + 1 < wanted.size() && position + 1 < all.size()
                    && all.get(position + 1).uid() == wanted.get(i + 1).uid()) {
                i++;
                position++;
            }
            long first = wanted.get(start).uid();
            long last = wanted.get(i).uid();
            String range = first == last ? Long.toString(first) : first + ":" + last;
            if (set.length() > 0 && set.length() + 1 + range.length() > UidSetFormat.MAX_SET_LENGTH) {
                steps.addLast(new Step(set.toString(), awaited));
                set.setLength(0);
                awaited = new LinkedHashMap<>();
            }
            set.append(set.length() > 0 ? "," : "").append(range);
            for (int j = start; j <= i; j++) {
                awaited.put(wanted.get(j).uid(), wanted.get(j));
            }
            i++;
        }
        if (set.length() > 0) {
            steps.addLast(new Step(set.toString(), awaited));
        }
    }

    /** One UID FETCH: its messages, and the one whose header block is arriving. */
    private final class Step implements ResponseHandler {
        private final String set;
        /** The messages of this command not yet started, in UID order. */
        private final Map<Long, MailboxSnapshot.Message> awaited;
        private MailboxSnapshot.Message current;
        private long currentNumber;
        private MessageSink currentSink;
        private HeaderBlockEnd blockEnd;

        Step(String set, Map<Long, MailboxSnapshot.Message> awaited) {
            this.set = set;
            this.awaited = awaited;
        }

        @Override
        public boolean onLiteralStart(ImapResponse soFar, long size) {
            if (current != null || !(soFar instanceof FetchResponse fetch) || fetch.pendingLiteral().isEmpty()
                    || !fetch.pendingLiteral().get().item().equals("BODY[HEADER]")) {
                return false;
            }
            // The UID may come after the literal (RFC 9051 section 7.5.2): then the snapshot's numbering says.
            long uid = fetch.uid().isPresent() ? fetch.uid().getAsLong() : sequence.uidAt(fetch.messageNumber());
            MailboxSnapshot.Message message = awaited.remove(uid);
            if (message == null) {
                return false;
            }
            current = message;
            currentNumber = fetch.messageNumber();
            blockEnd = new HeaderBlockEnd();
            currentSink = sink.header(message);
            currentSink.onStart(-1);
            return true;
        }

        @Override
        public void onLiteralChunk(ByteBuf chunk) {
            blockEnd.saw(chunk);
            currentSink.onChunk(chunk);
        }

        /** The FETCH response that carried the literal is complete: its header block is. */
        @Override
        public void onUntagged(ImapResponse response) {
            if (current == null || !(response instanceof FetchResponse fetch) || !fetch.isComplete()
                    || fetch.messageNumber() != currentNumber) {
                return;
            }
            if (fetch.uid().isPresent() && fetch.uid().getAsLong() != current.uid()) {
                link.fail(ImapFailure.PROTOCOL, "FETCH response for message " + currentNumber + " named UID "
                        + fetch.uid().getAsLong() + ", not the " + current.uid() + " it had", null);
                return;
            }
            ByteBuf crlf = blockEnd.missingBlankLine(current.size());
            MessageSink done = currentSink;
            current = null;
            currentSink = null;
            if (crlf != null) {
                done.onChunk(crlf);
            }
            done.onEnd();
        }

        @Override
        public void onTagged(StatusResponse status) {
            if (current != null) {
                // The command ended before the response that carried the literal did: the framing is lost.
                ImapLinkException cause = new ImapLinkException(ImapFailure.PROTOCOL,
                        "UID FETCH completed in the middle of a header block");
                onFailure(cause);
                link.fail(cause.failure(), cause.getMessage(), null);
                return;
            }
            List<MailboxSnapshot.Message> missing = new ArrayList<>(awaited.values());
            awaited.clear();
            boolean expungeIssue = status.code("EXPUNGEISSUE").isPresent();
            ImapLinkException refusal = status.isOk() ? null : new ImapLinkException(ImapFailure.REFUSED,
                    "UID FETCH answered " + status.condition() + ": " + status.text());
            for (MailboxSnapshot.Message message : missing) {
                if (refusal == null || expungeIssue || sequence.isGone(message.uid())) {
                    sink.gone(message);
                } else {
                    sink.refused(message, refusal);
                }
            }
            if (steps.isEmpty()) {
                sink.finished();
            } else {
                // Back to back, before anything queued meanwhile.
                next(true);
            }
        }

        @Override
        public void onFailure(ImapLinkException cause) {
            if (currentSink != null) {
                MessageSink broken = currentSink;
                currentSink = null;
                current = null;
                broken.onFailure(cause);
            }
        }
    }
}
