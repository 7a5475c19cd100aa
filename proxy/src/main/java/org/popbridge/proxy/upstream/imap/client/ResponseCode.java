package org.popbridge.proxy.upstream.imap.client;

import java.util.Locale;

/**
 * A response code in brackets (RFC 9051 section 7.1), e.g. "[UIDVALIDITY 3857529045]":
 * {@code name} upper-cased, {@code arguments} as sent ("" when there are none).
 */
public record ResponseCode(String name, String arguments) {

    public ResponseCode {
        name = name.toUpperCase(Locale.ROOT);
    }

    public boolean is(String codeName) {
        return name.equalsIgnoreCase(codeName);
    }

    /** The argument as a number, as UIDVALIDITY, UIDNEXT and APPENDUID's first carry one. */
    public long number() {
        ImapTextReader reader = new ImapTextReader(arguments);
        long number = reader.number();
        if (!reader.atEnd() && reader.peek() != ' ') {
            throw new ImapSyntaxException("response code " + name + " without a number");
        }
        return number;
    }

    /** The capabilities of a "[CAPABILITY ...]" code, as greetings and LOGIN completions send them. */
    public Capabilities capabilities() {
        if (!is("CAPABILITY")) {
            throw new IllegalStateException("not a CAPABILITY code: " + name);
        }
        return Capabilities.parse(arguments);
    }
}
