package org.popbridge.proxy.config;

/**
 * A value that cannot be used, thrown while a setting is bound; {@code key} is the setting's
 * name inside the object that holds it, so the loader can point at its line in the file.
 */
final class SettingException extends IllegalArgumentException {

    private final String key;

    SettingException(String key, String problem) {
        super(problem);
        this.key = key;
    }

    String key() {
        return key;
    }
}
