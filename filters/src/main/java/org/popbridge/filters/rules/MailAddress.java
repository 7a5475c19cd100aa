package org.popbridge.filters.rules;

import java.util.Optional;

/**
 * One mail address, {@code local-part@domain} (RFC 5322 section 3.4.1), in lower case (US-ASCII
 * letters) so that addresses compare without case; a trailing dot of the domain is dropped.
 */
public record MailAddress(String localPart, String domain) {

    /**
     * Reads an addr-spec such as {@code a@b.example} or {@code "john doe"@b.example}; empty if it
     * has no {@code @} with text on both sides.
     */
    public static Optional<MailAddress> parse(String addrSpec) {
        String spec = addrSpec.trim();
        int at = lastAtOutsideQuotes(spec);
        if (at <= 0 || at == spec.length() - 1) {
            return Optional.empty();
        }
        String local = spec.substring(0, at).trim();
        String domain = spec.substring(at + 1).trim();
        while (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (local.isEmpty() || domain.isEmpty() || containsWhiteSpace(domain)) {
            return Optional.empty();
        }
        return Optional.of(new MailAddress(AsciiCase.lower(local), AsciiCase.lower(domain)));
    }

    /** Whether the domain is {@code domain} or a subdomain of it: spam.example takes in mail.spam.example, not notspam.example. */
    public boolean inDomain(String domain) {
        String wanted = AsciiCase.lower(domain);
        return this.domain.equals(wanted) || this.domain.endsWith("." + wanted);
    }

    private static int lastAtOutsideQuotes(String spec) {
        boolean quoted = false;
        int at = -1;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '@' && !quoted) {
                at = i;
            }
        }
        return at;
    }

    private static boolean containsWhiteSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
