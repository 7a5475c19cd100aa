package org.popbridge.proxy.core.filtering;

import java.util.zip.CRC32C;

/**
 * A short check that a header block is the one a cached verdict was made for. The UIDL already
 * names the message; this guards against an upstream that reuses a UIDL for other mail.
 */
record HeaderFingerprint(int length, long crc) {

    /** Stands for a header block over the limit, which no real block's fingerprint equals. */
    static final HeaderFingerprint OVER_LIMIT = new HeaderFingerprint(-1, -1);

    static HeaderFingerprint of(byte[] headers) {
        CRC32C crc = new CRC32C();
        crc.update(headers);
        return new HeaderFingerprint(headers.length, crc.getValue());
    }

    // Written out: compared on every cached RETR, where the record's generated equals showed in profiles.
    @Override
    public boolean equals(Object other) {
        return other instanceof HeaderFingerprint that && length == that.length && crc == that.crc;
    }

    @Override
    public int hashCode() {
        return 31 * length + Long.hashCode(crc);
    }
}
