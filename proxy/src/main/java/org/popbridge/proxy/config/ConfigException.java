package org.popbridge.proxy.config;

/** The configuration cannot be used; the message names the file, line, key and what is wrong. */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
