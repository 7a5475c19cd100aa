package org.popbridge.filters.rules;

import java.util.List;

/** Which headers an address test reads, under the config key prefix that names them. */
public enum AddressSource {
    FROM("from", List.of("From")),
    REPLY_TO("reply-to", List.of("Reply-To")),
    RETURN_PATH("return-path", List.of("Return-Path")),
    /** Any address that claims to be the sender: From, Reply-To or Return-Path (not the Sender header alone). */
    SENDER("sender", List.of("From", "Reply-To", "Return-Path"));

    private final String key;
    private final List<String> headers;

    AddressSource(String key, List<String> headers) {
        this.key = key;
        this.headers = headers;
    }

    /** The config key prefix, such as {@code reply-to} in {@code reply-to-domain}. */
    public String key() {
        return key;
    }

    /** The header fields read. */
    public List<String> headers() {
        return headers;
    }
}
