package org.popbridge.filters.builtin;

import java.util.List;
import java.util.Optional;
import org.popbridge.filters.rules.AddressList;
import org.popbridge.filters.rules.AsciiCase;
import org.popbridge.filters.rules.MailAddress;

/**
 * One entry of a sender-policy alias list: a whole address ({@code sales@example.com}) or every
 * address at exactly one domain ({@code @alice.example.com}; subdomains are not included, so a
 * user given a domain cannot send as a host name someone else runs below it).
 *
 * @param address the address, in lower case as header octets; null for a domain entry
 * @param domain the domain of a domain entry, in lower case as header octets; null for an address entry
 */
record SenderPattern(MailAddress address, String domain) {

    /** Reads an entry as config text already turned into header octets; empty if it is neither form. */
    static Optional<SenderPattern> parse(String octets) {
        String entry = octets.strip();
        if (entry.startsWith("@")) {
            return domainName(entry.substring(1)).map(domain -> new SenderPattern(null, domain));
        }
        // AddressList would also read "Name <a@b>" or "a@b, c@d": an entry is one bare address.
        if (entry.indexOf('<') >= 0 || entry.chars().anyMatch(c -> c <= ' ')) {
            return Optional.empty();
        }
        List<MailAddress> parsed = AddressList.parse(entry);
        if (parsed.size() != 1 || domainName(parsed.get(0).domain()).isEmpty()) {
            return Optional.empty();
        }
        String local = parsed.get(0).localPart();
        // "*@example.com" is a wildcard someone hoped for ("@example.com" is the way to say it),
        // and an unquoted second @ is a typo, not a local part.
        if (local.equals("*") || !local.startsWith("\"") && local.indexOf('@') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new SenderPattern(parsed.get(0), null));
    }

    /**
     * The domain in lower case without a trailing dot, if it is a host name (RFC 1035 section
     * 2.3.1: labels of letters, digits and inner hyphens, up to 63 octets each). Octets above
     * 127 count as letters, so UTF-8 domain names (RFC 6531) pass as well as A-labels.
     */
    static Optional<String> domainName(String octets) {
        String domain = AsciiCase.lower(octets.strip());
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.isEmpty() || domain.length() > 253) {
            return Optional.empty();
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return Optional.empty();
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c >= 0x80)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(domain);
    }

    boolean matches(MailAddress candidate) {
        return address != null ? address.equals(candidate) : candidate.domain().equals(domain);
    }

    @Override
    public String toString() {
        return address != null ? address.toString() : "@" + domain;
    }
}
