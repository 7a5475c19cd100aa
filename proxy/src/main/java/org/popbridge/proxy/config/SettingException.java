package org.popbridge.proxy.config;

/**
 * A value that cannot be used, thrown while a setting is bound; {@code key} is the setting's
 * name inside the object that holds it, and {@code index} the list item at fault (or -1), so
 * the loader can point at its line in the file.
 */
final class SettingException extends IllegalArgumentException {

    private final String key;
    private final int index;

    SettingException(String key, String problem) {
        this(key, -1, problem);
    }

    SettingException(String key, int index, String problem) {
        super(problem);
        this.key = key;
        this.index = index;
    }

    String key() {
        return key;
    }

    /** The item of the list {@link #key()} that is wrong, or -1 for the setting as a whole. */
    int index() {
        return index;
    }
}
