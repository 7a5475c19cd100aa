package org.popbridge.filters.rules;

import java.util.List;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { from-address: [a@b.example] }} or {@code { from-domain: [spam.example] }} and the same
 * for reply-to, return-path and sender: some address in the headers read is one of the
 * addresses, or lies in one of the domains or their subdomains.
 *
 * @param source which headers are read
 * @param byDomain true for a {@code -domain} test, false for an {@code -address} test
 * @param wanted the addresses or domains, in lower case, as UTF-8 octet strings
 */
public record AddressCondition(AddressSource source, boolean byDomain, List<String> wanted) implements Condition {

    public AddressCondition {
        wanted = List.copyOf(wanted);
    }

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (String header : source.headers()) {
            for (String value : headers.all(header)) {
                for (MailAddress address : AddressList.parse(value)) {
                    if (matches(address)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean matches(MailAddress address) {
        for (String one : wanted) {
            if (byDomain ? address.inDomain(one) : address.toString().equals(one)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source.key() + (byDomain ? "-domain " : "-address ")
                + Texts.alternatives(wanted.stream().map(Utf8Octets::text).toList());
    }
}
