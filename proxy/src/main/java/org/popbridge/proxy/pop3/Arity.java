package org.popbridge.proxy.pop3;

import java.util.List;

/** How many arguments a command takes, and of what kind (RFC 1939 section 5-7). */
public enum Arity {
    NONE(0, 0, false),
    OPTIONAL_NUMBER(0, 1, true),
    NUMBER(1, 1, true),
    TWO_NUMBERS(2, 2, true),
    ONE(1, 1, false),
    /** PASS: the rest of the line is the password, spaces included. */
    REST_OF_LINE(1, Integer.MAX_VALUE, false),
    TWO(2, 2, false),
    ONE_OR_TWO(1, 2, false),
    ANY(0, Integer.MAX_VALUE, false);

    private final int min;
    private final int max;
    private final boolean numeric;

    Arity(int min, int max, boolean numeric) {
        this.min = min;
        this.max = max;
        this.numeric = numeric;
    }

    public boolean accepts(List<String> arguments) {
        if (arguments.size() < min || arguments.size() > max) {
            return false;
        }
        if (numeric) {
            // Indexed, not a stream or an iterator: every command of a session comes here.
            for (int i = 0; i < arguments.size(); i++) {
                if (!isMessageNumber(arguments.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isMessageNumber(String argument) {
        if (argument.isEmpty() || argument.length() > 10) {
            return false;
        }
        for (int i = 0; i < argument.length(); i++) {
            if (argument.charAt(i) < '0' || argument.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
