package org.popbridge.proxy.upstream.imap.client;

/**
 * What the server accepts in the strings of a command: UTF-8 inside quoted strings (only
 * after "ENABLE UTF8=ACCEPT" succeeded, RFC 6855 section 3) and which literals may be
 * non-synchronizing (RFC 7888).
 */
public record StringSyntax(boolean utf8Quoted, LiteralSupport literals) {

    /** What every IMAP4rev1 server accepts: 7-bit quoted strings and synchronizing literals. */
    public static final StringSyntax BASE = new StringSyntax(false, LiteralSupport.SYNCHRONIZING_ONLY);

    public StringSyntax {
        if (literals == null) {
            throw new IllegalArgumentException("literals");
        }
    }

    /** From a server's capabilities; {@code utf8Enabled} when ENABLE UTF8=ACCEPT was answered with OK. */
    public static StringSyntax of(Capabilities capabilities, boolean utf8Enabled) {
        LiteralSupport literals;
        if (capabilities.has("LITERAL+")) {
            literals = LiteralSupport.LITERAL_PLUS;
        } else if (capabilities.has("LITERAL-") || capabilities.has("IMAP4rev2")) {
            literals = LiteralSupport.LITERAL_MINUS;
        } else {
            literals = LiteralSupport.SYNCHRONIZING_ONLY;
        }
        return new StringSyntax(utf8Enabled, literals);
    }
}
