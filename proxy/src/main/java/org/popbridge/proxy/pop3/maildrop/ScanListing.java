package org.popbridge.proxy.pop3.maildrop;

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

    /**
     * Takes one line, without its line end. Parsed by hand: a large maildrop has thousands of
     * these lines at every login.
     */
    public void add(String line) {
        int end = line.length();
        int at = 0;
        while (at < end && line.charAt(at) == ' ') {
            at++;
        }
        int digits = at;
        while (at < end && isDigit(line.charAt(at))) {
            at++;
        }
        int numberEnd = at;
        while (at < end && line.charAt(at) == ' ') {
            at++;
        }
        int valueStart = at;
        while (at < end && line.charAt(at) != ' ') {
            at++;
        }
        if (numberEnd == digits || numberEnd - digits > 9 || valueStart == numberEnd || at == valueStart) {
            throw new IllegalArgumentException("not a scan listing line: \"" + line + "\"");
        }
        int number = Integer.parseInt(line, digits, numberEnd, 10);
        if (number < 1 || values.put(number, line.substring(valueStart, at)) != null) {
            throw new IllegalArgumentException("message number " + number + " listed twice or invalid");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The values by message number, in number order. */
    public Map<Integer, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** A size from a LIST line. */
    public static long size(String value) {
        boolean digits = !value.isEmpty() && value.length() <= 18;
        for (int i = 0; digits && i < value.length(); i++) {
            digits = isDigit(value.charAt(i));
        }
        if (!digits) {
            throw new IllegalArgumentException("not a message size: \"" + value + "\"");
        }
        return Long.parseLong(value);
    }
}
