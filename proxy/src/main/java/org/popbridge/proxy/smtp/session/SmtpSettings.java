package org.popbridge.proxy.smtp.session;

import java.util.Objects;
import org.popbridge.filters.FilterChain;

/**
 * What every SMTP session of one proxy shares.
 *
 * @param hostname the name popbridge gives itself in its greeting and EHLO reply
 * @param maxMessageSize the largest message accepted, in octets (the SIZE offered, RFC 1870)
 * @param announced what the submission server announced at its latest login
 * @param filters the filters that act on outgoing mail and SMTP sessions
 * @param headerLimit the longest header block the filters are run on; a longer one is refused when filters read messages
 */
public record SmtpSettings(String hostname, long maxMessageSize, AnnouncedExtensions announced, FilterChain filters,
                           int headerLimit) {

    public SmtpSettings {
        Objects.requireNonNull(filters, "filters");
    }

    /** Settings without filters. */
    public SmtpSettings(String hostname, long maxMessageSize, AnnouncedExtensions announced) {
        this(hostname, maxMessageSize, announced, FilterChain.empty(), 256 * 1024);
    }
}
