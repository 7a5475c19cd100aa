package org.popbridge.bench;

import java.io.IOException;

/** A reply the benchmark did not expect: -ERR, a short message, a malformed line. */
final class Pop3Exception extends IOException {

    private static final long serialVersionUID = 1L;

    Pop3Exception(String message) {
        super(message);
    }
}
