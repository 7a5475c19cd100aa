package org.popbridge.filters;

/**
 * A filter setting that is wrong. The proxy turns the pointer into the file, line and key of
 * the setting, so the operator sees {@code popbridge.yaml:14: filters[1].spam-tag.rules[0].regex: ...}.
 */
public final class FilterConfigException extends RuntimeException {

    private final String pointer;
    private final String problem;

    /**
     * @param pointer the JSON pointer (RFC 6901) of the setting in the config, such as
     *                {@code /filters/1/spam-tag/rules/0/regex}
     * @param problem what is wrong, for the operator, such as "is not a regular expression: ..."
     */
    public FilterConfigException(String pointer, String problem) {
        super(pointer + ": " + problem);
        this.pointer = pointer;
        this.problem = problem;
    }

    public String pointer() {
        return pointer;
    }

    public String problem() {
        return problem;
    }
}
