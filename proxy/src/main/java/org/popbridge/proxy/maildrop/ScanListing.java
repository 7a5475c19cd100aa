package org.popbridge.proxy.maildrop;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of a LIST or UIDL reply without argument (RFC 1939 sections 5 and 7), read line by
 * line: "number value". A line of any other shape is rejected, since a misread listing would
 * number the maildrop wrong.
 */
public final class ScanListing {

    private final Map<Integer, String> values = new TreeMap<>();

    /** Takes one line, without its line end. */
    public void add(String line) {
        String[] parts = line.strip().split(" +", 3);
        if (parts.length < 2 || !parts[0].matches("[0-9]{1,9}") || parts[1].isEmpty()) {
            throw new IllegalArgumentException("not a scan listing line: \"" + line + "\"");
        }
        int number = Integer.parseInt(parts[0]);
        if (number < 1 || values.put(number, parts[1]) != null) {
            throw new IllegalArgumentException("message number " + number + " listed twice or invalid");
        }
    }

    /** The values by message number, in number order. */
    public Map<Integer, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** A size from a LIST line. */
    public static long size(String value) {
        if (!value.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("not a message size: \"" + value + "\"");
        }
        return Long.parseLong(value);
    }
}
