package org.popbridge.certs;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Serial numbers for the certificates popbridge issues. */
final class CertificateSerials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateSerials() {
    }

    /** RFC 5280 section 4.1.2.2: positive, at most 20 octets; random so re-generated certificates never collide. */
    static BigInteger random() {
        return new BigInteger(159, RANDOM).add(BigInteger.ONE);
    }
}
