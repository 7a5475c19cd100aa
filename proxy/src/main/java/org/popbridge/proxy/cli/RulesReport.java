package org.popbridge.proxy.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.Direction;
import org.popbridge.filters.FilterFailure;
import org.popbridge.filters.FilterFinding;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.proxy.config.ByteSizes;

/** How {@code popbridge test-rules} shows what became of one message, read or sent. */
final class RulesReport {

    private final PrintWriter out;
    private final Direction direction;

    RulesReport(PrintWriter out, Direction direction) {
        this.out = out;
        this.direction = direction;
    }

    /** A message the chain ran on: its fate, what each filter found, what failed, and the headers the client gets. */
    void outcome(Path file, ChainOutcome outcome, List<FilterFailure> failures, boolean bodyCut) {
        out.println(file + ": " + label(outcome.disposition(), bodyCut));
        for (FilterFinding finding : outcome.findings()) {
            out.println("  " + finding.filter() + ": " + finding.text());
        }
        for (FilterFailure failure : failures) {
            out.println("  failed: " + failure.describe());
        }
        switch (outcome.disposition()) {
            case DELIVER -> {
                if (bodyCut) {
                    out.println(direction == Direction.OUTGOING
                            ? "  (the server is cut off mid-message, so nothing is sent; the client gets 451 4.7.0)"
                            : "  (the client gets the headers and part of the body, then the connection is closed)");
                }
                headers(outcome.headers());
            }
            case HIDE -> notice("the client does not see this message; it stays upstream");
            case REFUSE -> notice(refusal(outcome));
        }
    }

    private String refusal(ChainOutcome outcome) {
        if (direction == Direction.INCOMING) {
            return "the client gets -ERR for RETR and TOP of this message";
        }
        String reply = outcome.refusal() != null ? "550 5.7.1 " + outcome.refusal().text()
                : "451 4.7.0 Message not sent: a filter failed, try again later";
        return "the client gets \"" + reply + "\" for its message; nothing is sent";
    }

    /**
     * A message whose header block is over header-limit: a message read passes unfiltered; one
     * sent is refused when filters read outgoing mail, so a padded block cannot slip past them.
     */
    void unfiltered(Path file, HeaderBlock headers, long wireSize, int headerLimit, boolean filtersRead) {
        if (direction == Direction.OUTGOING && filtersRead) {
            out.println(file + ": REFUSED");
            out.println("  the header block is " + wireSize + " octets, over header-limit " + ByteSizes.format(headerLimit));
            notice("the client gets \"552 5.3.4 Header block too long to check (limit " + headerLimit
                    + " octets)\"; nothing is sent");
            return;
        }
        out.println(file + ": " + label(ChainOutcome.Disposition.DELIVER, false));
        out.println("  not filtered: the header block is " + wireSize + " octets, over header-limit "
                + ByteSizes.format(headerLimit));
        headers(headers);
    }

    private String label(ChainOutcome.Disposition disposition, boolean bodyCut) {
        String deliver = direction == Direction.OUTGOING ? "send" : "deliver";
        return switch (disposition) {
            case DELIVER -> bodyCut ? deliver + ", cut short" : deliver;
            case HIDE -> "HIDE";
            case REFUSE -> "REFUSED";
        };
    }

    private void notice(String text) {
        out.println("  (" + text + ")");
        out.println();
    }

    private void headers(HeaderBlock block) {
        // Header octets are an octet string: ISO-8859-1 shows each one as one char, 8-bit ones included.
        String text = new String(block.toBytes(), StandardCharsets.ISO_8859_1);
        out.print(text);
        if (!block.terminated()) {
            // A message that is only headers has no blank line; the entry still ends with one.
            if (!text.endsWith("\n")) {
                out.println();
            }
            out.println();
        }
    }
}
