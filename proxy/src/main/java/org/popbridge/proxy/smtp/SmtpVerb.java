package org.popbridge.proxy.smtp;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The commands of SMTP submission popbridge understands (RFC 5321 section 4.1, RFC 3207
 * STARTTLS, RFC 4954 AUTH), with whether a command may change what follows it, so that a
 * pipelined group stops there (RFC 2920 section 3.1).
 */
public enum SmtpVerb {
    HELO(true),
    EHLO(true),
    STARTTLS(true),
    AUTH(true),
    MAIL(false),
    RCPT(false),
    DATA(true),
    RSET(false),
    NOOP(false),
    QUIT(true),
    VRFY(true),
    HELP(false);

    private static final Map<String, SmtpVerb> BY_KEYWORD =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(SmtpVerb::name, verb -> verb));

    private final boolean endsPipelinedGroup;

    SmtpVerb(boolean endsPipelinedGroup) {
        this.endsPipelinedGroup = endsPipelinedGroup;
    }

    /** The verb for an upper-case keyword, if popbridge knows it. */
    public static Optional<SmtpVerb> of(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }

    /** Whether commands after this one must wait for its reply (RFC 2920 section 3.1). */
    public boolean endsPipelinedGroup() {
        return endsPipelinedGroup;
    }
}
