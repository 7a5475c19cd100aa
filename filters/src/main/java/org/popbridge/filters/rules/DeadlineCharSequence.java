package org.popbridge.filters.rules;

/**
 * A char sequence that checks a deadline as it is read. java.util.regex cannot be interrupted,
 * but it reads its input only through {@link #charAt}, so a backtracking match is stopped there.
 */
final class DeadlineCharSequence implements CharSequence {

    // Reading the clock on every char would slow ordinary matches; every 1024 reads is still
    // well under a millisecond apart.
    private static final int CHECK_EVERY = 1024;

    private final CharSequence text;
    private final Deadline deadline;
    private int reads;

    DeadlineCharSequence(CharSequence text, Deadline deadline) {
        this.text = text;
        this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
        if (++reads % CHECK_EVERY == 0) {
            deadline.check();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new DeadlineCharSequence(text.subSequence(start, end), deadline);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
