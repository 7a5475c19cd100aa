package org.popbridge.filters;

/** Something one filter of the chain found or did to a message, such as a rule that hit. */
public record FilterFinding(String filter, String text) {

    @Override
    public String toString() {
        return filter + ": " + text;
    }
}
