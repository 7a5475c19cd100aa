package org.popbridge.proxy.cli.logging;

import ch.qos.logback.core.rolling.RolloverFailure;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;

/**
 * Logback's size-and-time rolling, with the old files deleted by {@link RolledLogPruner} rather
 * than by Logback's archive remover (why: see the pruner). Logback is given no max-history, so it
 * makes no remover of its own; the pruner runs at start and after every rollover.
 */
final class PrunedRollingPolicy<E> extends SizeAndTimeBasedRollingPolicy<E> {

    private final RolledLogPruner pruner;

    PrunedRollingPolicy(RolledLogPruner pruner) {
        this.pruner = pruner;
    }

    @Override
    public void start() {
        super.start();
        if (isStarted()) {
            pruner.pruneSoon();
        }
    }

    @Override
    public void rollover() throws RolloverFailure {
        super.rollover();
        pruner.pruneSoon();
    }

    @Override
    public void stop() {
        super.stop();
        pruner.close();
    }
}
