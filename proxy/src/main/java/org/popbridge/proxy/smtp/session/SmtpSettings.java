package org.popbridge.proxy.smtp.session;

/**
 * What every SMTP session of one proxy shares.
 *
 * @param hostname the name popbridge gives itself in its greeting and EHLO reply
 * @param maxMessageSize the largest message accepted, in octets (the SIZE offered, RFC 1870)
 * @param announced what the submission server announced at its latest login
 */
public record SmtpSettings(String hostname, long maxMessageSize, AnnouncedExtensions announced) {
}
