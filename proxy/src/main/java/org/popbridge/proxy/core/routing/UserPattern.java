package org.popbridge.proxy.core.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * Which login names a route takes: one user ({@code alice@example.com} or {@code alice}),
 * everyone at a domain ({@code *@example.com}), or everyone ({@code *}). Names and domains
 * compare without regard to case, as mail systems treat them.
 *
 * @param written the pattern as the operator wrote it, for messages and logs
 */
public record UserPattern(Kind kind, String written) {

    /** What a pattern stands for. */
    public enum Kind {
        /** One login name. */
        USER,
        /** Every name ending in {@code @domain}. */
        DOMAIN,
        /** Every name: the default route. */
        EVERYONE
    }

    private static final String EVERYONE_TEXT = "*";
    private static final String DOMAIN_PREFIX = "*@";

    /** Checks that {@code written} is a valid pattern of {@code kind}, however the pattern was made. */
    public UserPattern {
        Objects.requireNonNull(kind, "kind");
        if (kindOf(written) != kind) {
            throw new IllegalArgumentException("'" + written + "' is not a " + kind + " pattern");
        }
    }

    /** The default route's pattern, {@code *}. */
    public static UserPattern everyone() {
        return new UserPattern(Kind.EVERYONE, EVERYONE_TEXT);
    }

    /**
     * Reads a pattern as written in the config.
     *
     * @throws IllegalArgumentException saying what is wrong and what a pattern looks like
     */
    public static UserPattern parse(String text) {
        return new UserPattern(kindOf(text), text);
    }

    /** What {@code text} stands for, or an exception saying what is wrong with it. */
    private static Kind kindOf(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("must not be empty: write a user name (alice@example.com), *@domain or *");
        }
        if (text.codePoints().anyMatch(UserPattern::isBlankOrControl)) {
            throw new IllegalArgumentException("'" + printable(text) + "' contains a space or control character");
        }
        if (text.equals(EVERYONE_TEXT)) {
            return Kind.EVERYONE;
        }
        if (text.startsWith(DOMAIN_PREFIX)) {
            String domain = text.substring(DOMAIN_PREFIX.length());
            if (domain.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has no domain after *@");
            }
            requireDomain(text, domain);
            return Kind.DOMAIN;
        }
        if (text.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + text + "': * stands only for a whole name (*) "
                    + "or for everything before @ (*@example.com)");
        }
        int at = text.lastIndexOf('@');
        if (at == 0) {
            throw new IllegalArgumentException("'" + text + "' has no user name before @");
        }
        if (at > 0) {
            if (text.indexOf('@') != at) {
                throw new IllegalArgumentException("'" + text + "' has more than one @");
            }
            if (at == text.length() - 1) {
                throw new IllegalArgumentException("'" + text + "' has no domain after @");
            }
            requireDomain(text, text.substring(at + 1));
        }
        return Kind.USER;
    }

    /** Whether {@code user}, a login name as the client sent it, is one this pattern takes. */
    public boolean matches(String user) {
        return switch (kind) {
            case EVERYONE -> true;
            case USER -> written.equalsIgnoreCase(user);
            case DOMAIN -> {
                String domain = domainOf(user);
                yield domain != null && domain.equalsIgnoreCase(written.substring(DOMAIN_PREFIX.length()));
            }
        };
    }

    /**
     * What the pattern compares, lower-cased: the name for {@link Kind#USER}, the domain for
     * {@link Kind#DOMAIN}, {@code *} for {@link Kind#EVERYONE}. Equal keys take the same users.
     */
    public String key() {
        String compared = kind == Kind.DOMAIN ? written.substring(DOMAIN_PREFIX.length()) : written;
        return compared.toLowerCase(Locale.ROOT);
    }

    /**
     * The domain of a login name, after its last @, or null if there is none or nothing stands
     * before it; the last @ because a local part may itself hold one, a domain never.
     */
    static String domainOf(String user) {
        int at = user.lastIndexOf('@');
        return at <= 0 || at == user.length() - 1 ? null : user.substring(at + 1);
    }

    private static void requireDomain(String text, String domain) {
        if (domain.indexOf('@') >= 0 || domain.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + text + "': '" + domain + "' is not a domain "
                    + "(a pattern is a user name, *@domain or *)");
        }
        if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            throw new IllegalArgumentException("'" + text + "': '" + domain + "' is not a domain (empty label)");
        }
    }

    static boolean isBlankOrControl(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT;
    }

    /** Control characters shown as \\uXXXX, so the message itself stays on one clean line. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                shown.append(String.format("\\u%04X", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    @Override
    public String toString() {
        return written;
    }
}
