package org.popbridge.filters.builtin;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.rules.FieldSyntax;
import org.popbridge.filters.rules.Utf8Octets;

/**
 * A header value of the {@code spam-tag} filter's {@code add-headers}, with {@code ${score}} and
 * {@code ${rules}} placeholders filled in per message.
 *
 * @param octets the value as a UTF-8 octet string, placeholders still in it
 */
public record HeaderTemplate(String octets) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> NAMES = Set.of("score", "rules");

    /**
     * Reads the value of header {@code name} at {@code pointer}.
     *
     * @throws FilterConfigException if a placeholder is unknown or unclosed, or the value holds CR or LF
     */
    static HeaderTemplate parse(String pointer, String name, String text) {
        String octets = Utf8Octets.of(text);
        Matcher matcher = PLACEHOLDER.matcher(octets);
        while (matcher.find()) {
            if (!NAMES.contains(matcher.group(1))) {
                throw new FilterConfigException(pointer, "unknown placeholder " + matcher.group()
                        + "; expected ${score} or ${rules}");
            }
        }
        String literal = matcher.replaceAll("");
        if (literal.contains("${")) {
            throw new FilterConfigException(pointer, "has a placeholder without its closing }");
        }
        FieldSyntax.requireField(pointer, name, literal);
        return new HeaderTemplate(octets);
    }

    /** The value for one message. */
    String fill(SpamScore score) {
        Matcher matcher = PLACEHOLDER.matcher(octets);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = matcher.group(1).equals("score") ? Scores.plain(score.total()) : score.ruleNames();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
