package org.popbridge.proxy.pop3;

/** The end of a multi-line reply: the upstream sent its terminating "." line. */
public enum EndOfMultiline implements Pop3Reply {
    INSTANCE
}
