package org.popbridge.proxy.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.proxy.config.ConfigException;

/** popbridge's exit statuses. */
final class ExitCodes {

    static final int OK = 0;
    /** The command ran and failed at run time: an I/O error writing or reading files it was right to use. */
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

    /**
     * A certificate command's failure: 2 when the cause is what it was given (no CA yet, a CA
     * that exists already, a file missing, unreadable or not a certificate, a bad name), 1 only
     * for an I/O error while writing or reading, which trying again may not meet.
     */
    static int certificateError(CertificateLoadException e) {
        Throwable cause = e.getCause();
        boolean runtime = cause instanceof IOException && !(cause instanceof NoSuchFileException
                || cause instanceof AccessDeniedException || cause instanceof FileAlreadyExistsException);
        System.err.println("popbridge: " + e.getMessage());
        return runtime ? FAILURE : CONFIG_ERROR;
    }

    static int configError(ConfigException e) {
        System.err.println("popbridge: " + e.getMessage());
        return CONFIG_ERROR;
    }
}
