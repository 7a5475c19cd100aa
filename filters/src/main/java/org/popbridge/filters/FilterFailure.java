package org.popbridge.filters;

/**
 * A filter that failed on one message.
 *
 * @param filter the filter's name in the chain
 * @param cause what it threw, or null if it overran its budget
 */
public record FilterFailure(String filter, Throwable cause) {

    public boolean timedOut() {
        return cause == null;
    }

    /** For the log: the exception class and message, or the overrun. */
    public String describe() {
        if (cause == null) {
            return filter + " overran its time budget";
        }
        return filter + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
