package org.popbridge.filters.builtin;

/**
 * Makes text taken from the client (a login name, an address) safe to quote in a reason the
 * client gets back as one reply line. A CR or LF there would be refused by the SPI, the filter
 * would fail, and a failing filter is skipped: the check it made would be lost.
 */
final class ReplyText {

    private ReplyText() {}

    /** {@code text} with every control character (CR, LF, TAB, NUL, DEL ...) as {@code ?}. */
    static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
