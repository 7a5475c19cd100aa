package org.popbridge.proxy.cli;

import org.popbridge.proxy.config.ConfigException;

/** popbridge's exit statuses. */
final class ExitCodes {

    static final int OK = 0;
    /** The command ran and failed (a certificate could not be made or read). */
    static final int FAILURE = 1;
    /** A configuration, certificate or command-line error: nothing was started. */
    static final int CONFIG_ERROR = 2;

    private ExitCodes() {
    }

    static int failure(String message) {
        System.err.println("popbridge: " + message);
        return FAILURE;
    }

    static int usage(String message) {
        System.err.println("popbridge: " + message);
        return CONFIG_ERROR;
    }

    static int configError(ConfigException e) {
        System.err.println("popbridge: " + e.getMessage());
        return CONFIG_ERROR;
    }
}
