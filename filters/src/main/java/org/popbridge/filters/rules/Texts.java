package org.popbridge.filters.rules;

import java.util.List;

/** How lists of config values read in a condition's description. */
final class Texts {

    private Texts() {}

    /** {@code a} for one value, {@code any of a, b} for several. */
    static String alternatives(List<String> values) {
        return values.size() == 1 ? values.get(0) : "any of " + String.join(", ", values);
    }
}
