package org.popbridge.filters.rules;

import java.util.regex.Pattern;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { header: Subject, regex: "(?i)lottery|winner" }}: the Java regex is found somewhere in
 * some occurrence of the header, unfolded. The match stops with {@link RuleOverrunException}
 * once the message's deadline passes.
 *
 * @param header the field name
 * @param pattern compiled from the UTF-8 octets of {@code regex}
 * @param regex the regex as written in the config
 */
public record HeaderRegex(String header, Pattern pattern, String regex) implements Condition {

    /**
     * Compiles {@code regex} to test {@code header}.
     *
     * @throws java.util.regex.PatternSyntaxException if it is not a regex
     */
    public static HeaderRegex compile(String header, String regex) {
        return new HeaderRegex(header, Pattern.compile(Utf8Octets.of(regex)), regex);
    }

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (String value : headers.all(header)) {
            try {
                if (pattern.matcher(deadline.guard(value)).find()) {
                    return true;
                }
            } catch (RuleOverrunException e) {
                throw new RuleOverrunException(this + " ran past the rules' time budget of "
                        + deadline.budget().toMillis() + " ms");
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "header " + header + " regex " + regex;
    }
}
