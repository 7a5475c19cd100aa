package org.popbridge.proxy.core.metrics;

/** Counts lookups in the verdict cache, found or not. */
@FunctionalInterface
public interface CacheLookups {

    /** Counts nothing. */
    CacheLookups NONE = hit -> { };

    void lookedUp(boolean hit);
}
