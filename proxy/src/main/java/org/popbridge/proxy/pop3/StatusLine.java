package org.popbridge.proxy.pop3;

/**
 * The first line of a reply: "+OK", "-ERR", or an RFC 5034 "+ " SASL continuation.
 * {@code text} is everything after the status indicator and its space.
 */
public record StatusLine(Status status, String text) implements Pop3Reply {

    /** The status indicator of a reply line. */
    public enum Status {
        OK("+OK"), ERR("-ERR"), CONTINUATION("+");

        private final String indicator;

        Status(String indicator) {
            this.indicator = indicator;
        }

        public String indicator() {
            return indicator;
        }
    }

    public static StatusLine ok(String text) {
        return new StatusLine(Status.OK, text);
    }

    public static StatusLine err(String text) {
        return new StatusLine(Status.ERR, text);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    /** Parses a reply line without its line end; null if it starts with no status indicator. */
    public static StatusLine parse(String line) {
        if (line.startsWith("+OK")) {
            return new StatusLine(Status.OK, rest(line, 3));
        }
        if (line.startsWith("-ERR")) {
            return new StatusLine(Status.ERR, rest(line, 4));
        }
        if (line.equals("+") || line.startsWith("+ ")) {
            return new StatusLine(Status.CONTINUATION, rest(line, 1));
        }
        return null;
    }

    private static String rest(String line, int indicatorLength) {
        if (line.length() == indicatorLength) {
            return "";
        }
        // RFC 1939 puts one space after the indicator; keep anything after it verbatim.
        return line.charAt(indicatorLength) == ' ' ? line.substring(indicatorLength + 1) : line.substring(indicatorLength);
    }

    /** The line as sent on the wire, without CRLF. */
    public String line() {
        if (status == Status.CONTINUATION) {
            return "+ " + text;
        }
        return text.isEmpty() ? status.indicator() : status.indicator() + " " + text;
    }
}
