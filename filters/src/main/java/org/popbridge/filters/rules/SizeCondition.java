package org.popbridge.filters.rules;

import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { size-above: 1MB }} or {@code { size-below: 10KB }}: the size the upstream reported in
 * LIST compares with the bound. A message of unknown size matches neither.
 *
 * @param above true for size-above, false for size-below
 * @param octets the bound in octets
 * @param written the bound as written in the config
 */
public record SizeCondition(boolean above, long octets, String written) implements Condition {

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        long size = message.size();
        if (size < 0) {
            return false;
        }
        return above ? size > octets : size < octets;
    }

    @Override
    public String toString() {
        return (above ? "size above " : "size below ") + written;
    }
}
