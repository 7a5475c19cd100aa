package org.popbridge.filters.rules;

/** How a number is compared with a bound, under the config key that names it. */
public enum Comparison {
    ABOVE("above") {
        @Override
        boolean holds(int order) {
            return order > 0;
        }
    },
    AT_LEAST("at-least") {
        @Override
        boolean holds(int order) {
            return order >= 0;
        }
    },
    BELOW("below") {
        @Override
        boolean holds(int order) {
            return order < 0;
        }
    },
    AT_MOST("at-most") {
        @Override
        boolean holds(int order) {
            return order <= 0;
        }
    };

    private final String key;

    Comparison(String key) {
        this.key = key;
    }

    /** The config key, such as {@code at-least}. */
    public String key() {
        return key;
    }

    /** Whether the comparison holds, given {@code value.compareTo(bound)}. */
    abstract boolean holds(int order);
}
