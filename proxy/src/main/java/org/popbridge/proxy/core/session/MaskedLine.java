package org.popbridge.proxy.core.session;

/**
 * A client line as logs and session filters may see it: a keyword and its arguments with every
 * secret replaced by {@link CommandMask#MASK} (invariant 6). Made only by {@link CommandMask}
 * and {@link SessionMask}.
 *
 * @param keyword the command in upper case, {@code ****} for a line that may be a secret as a
 *                whole, or {@code <unrecognised line of N octets>}
 * @param arguments what follows the keyword, masked; empty if nothing may be shown
 */
public record MaskedLine(String keyword, String arguments) {

    @Override
    public String toString() {
        return arguments.isEmpty() ? keyword : keyword + " " + arguments;
    }
}
