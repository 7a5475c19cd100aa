package org.popbridge.oauth;

/**
 * Argon2id cost (RFC 9106): memory in KiB, passes, lanes.
 *
 * <p>The default, 64 MiB and 3 passes on one lane, is RFC 9106's second recommended option
 * (section 4) and costs one unlock some tens of milliseconds of one core here: cheap for a login
 * that is cached afterwards, but every guess at a stolen file costs an attacker the same 64 MiB
 * and time, which is what makes a short client password survive a stolen disk.
 */
public record KdfParameters(int memoryKib, int iterations, int parallelism) {

    /** RFC 9106 4, second option: m = 64 MiB, t = 3, p = 1 (here p = 1, a login uses one core). */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 1);

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
