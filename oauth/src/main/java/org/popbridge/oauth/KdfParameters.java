package org.popbridge.oauth;

/**
 * Argon2id cost (RFC 9106): memory in KiB, passes, lanes.
 *
 * <p>The default is 64 MiB, one pass, one lane. Memory is what makes each guess at a stolen file
 * expensive on GPUs and ASICs, so it is kept at RFC 9106's 64 MiB; the passes are what a login
 * pays in time. Measured with BouncyCastle's Argon2 (pure Java) on a 2-core build machine: 64 MiB
 * with 3 passes (RFC 9106 4, second option) took about 150 ms, 64 MiB with 1 pass about 70 ms,
 * 19 MiB with 2 passes about 25 ms. One pass at 64 MiB stays within "tens of ms" for a cold login
 * while keeping the memory cost, and is above OWASP's minimum for Argon2id (46 MiB, 1 pass). Each
 * file records its own parameters, so the default can be raised later and old files still open.
 */
public record KdfParameters(int memoryKib, int iterations, int parallelism) {

    /** m = 64 MiB, t = 1, p = 1 (a login uses one core); see the class comment for why. */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 1, 1);
    /** A file asking for more than this is refused before any memory is taken. */
    static final int MAX_MEMORY_KIB = 1024 * 1024;
    static final int MAX_ITERATIONS = 16;
    static final int MAX_PARALLELISM = 8;

    public KdfParameters {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id parameters out of range: m=" + memoryKib + " KiB, t="
                    + iterations + ", p=" + parallelism);
        }
    }
}
