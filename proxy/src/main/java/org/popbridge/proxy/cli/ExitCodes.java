package org.popbridge.proxy.cli;

import org.popbridge.proxy.config.ConfigException;

/** popbridge's exit statuses. */
final class ExitCodes {

    static final int OK = 0;
    /** A configuration, certificate or command-line error: nothing was started. */
    static final int CONFIG_ERROR = 2;

    private ExitCodes() {
    }

    static int configError(ConfigException e) {
        System.err.println("popbridge: " + e.getMessage());
        return CONFIG_ERROR;
    }
}
