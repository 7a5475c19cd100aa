package org.popbridge.filters.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterSettings;

/**
 * Reads a {@link Condition} from the config. A condition is a map with exactly one test; the
 * header tests name their header with {@code header:}. Anything unknown, misspelt or ambiguous
 * is a {@link FilterConfigException} pointing at the key that is wrong.
 */
public final class Conditions {

    private static final List<String> HEADER_TESTS =
            List.of("is", "contains", "regex", "exists", "above", "at-least", "below", "at-most");

    private static final List<String> TESTS = tests();

    private Conditions() {}

    private static List<String> tests() {
        List<String> tests = new ArrayList<>(List.of("header"));
        for (AddressSource source : AddressSource.values()) {
            tests.add(source.key() + "-address");
            tests.add(source.key() + "-domain");
        }
        tests.addAll(List.of("size-above", "size-below", "any", "all", "not"));
        return List.copyOf(tests);
    }

    /** Reads the condition that is the whole of {@code settings}. */
    public static Condition parse(FilterSettings settings) {
        return parse(settings, Set.of());
    }

    /**
     * Reads the condition in {@code settings}, skipping the keys of the rule it stands in, such
     * as a spam rule's {@code name} and {@code score}.
     */
    public static Condition parse(FilterSettings settings, Set<String> ruleKeys) {
        List<String> keys = new ArrayList<>();
        for (String key : settings.keys()) {
            if (!ruleKeys.contains(key)) {
                keys.add(key);
            }
        }
        if (keys.contains("header")) {
            return header(settings, keys);
        }
        String test = null;
        for (String key : keys) {
            if (HEADER_TESTS.contains(key)) {
                throw settings.problem(key, "tests a header; name the header with header:");
            }
            if (!TESTS.contains(key)) {
                throw settings.problem(key, "unknown test; expected one of " + String.join(", ", TESTS));
            }
            if (test != null) {
                throw oneTest(settings, key, test);
            }
            test = key;
        }
        if (test == null) {
            throw settings.problem("has no condition; expected one of " + String.join(", ", TESTS));
        }
        return standalone(settings, test);
    }

    private static Condition standalone(FilterSettings settings, String test) {
        switch (test) {
            case "size-above", "size-below" -> {
                String text = settings.string(test);
                try {
                    return new SizeCondition(test.equals("size-above"), OctetSize.parse(text), text.trim());
                } catch (IllegalArgumentException e) {
                    throw settings.problem(test, e.getMessage());
                }
            }
            case "any", "all" -> {
                List<FilterSettings> sections = settings.sections(test);
                if (sections.isEmpty()) {
                    throw settings.problem(test, "is empty; give at least one condition");
                }
                List<Condition> conditions = sections.stream().map(Conditions::parse).toList();
                return test.equals("any") ? new AnyOf(conditions) : new AllOf(conditions);
            }
            case "not" -> {
                return new Not(parse(settings.section(test)));
            }
            default -> {
                return address(settings, test);
            }
        }
    }

    private static Condition address(FilterSettings settings, String test) {
        AddressSource source = null;
        for (AddressSource candidate : AddressSource.values()) {
            if (test.startsWith(candidate.key() + "-")) {
                source = candidate;
            }
        }
        boolean byDomain = test.endsWith("-domain");
        List<String> wanted = new ArrayList<>();
        List<String> given = settings.strings(test);
        if (given.isEmpty()) {
            throw settings.problem(test, "is empty; give at least one " + (byDomain ? "domain" : "address"));
        }
        for (int i = 0; i < given.size(); i++) {
            String one = Utf8Octets.of(given.get(i).trim());
            if (byDomain) {
                if (one.isEmpty() || one.contains("@") || one.chars().anyMatch(c -> c <= ' ')) {
                    throw settings.problem(test, "entry " + i + ", \"" + given.get(i)
                            + "\", is not a domain such as example.org");
                }
                wanted.add(AsciiCase.lower(one.endsWith(".") ? one.substring(0, one.length() - 1) : one));
            } else {
                List<MailAddress> parsed = AddressList.parse(one);
                if (parsed.size() != 1 || one.contains("<") || one.chars().anyMatch(c -> c <= ' ')) {
                    throw settings.problem(test, "entry " + i + ", \"" + given.get(i)
                            + "\", is not an address such as name@example.org");
                }
                wanted.add(parsed.get(0).toString());
            }
        }
        return new AddressCondition(source, byDomain, wanted);
    }

    private static Condition header(FilterSettings settings, List<String> keys) {
        String header = FieldSyntax.requireName(settings.pointer("header"), settings.string("header"));
        Set<String> tests = new LinkedHashSet<>();
        for (String key : keys) {
            if (key.equals("header")) {
                continue;
            }
            if (TESTS.contains(key)) {
                throw oneTest(settings, key, "header");
            }
            if (!HEADER_TESTS.contains(key)) {
                throw settings.problem(key, "unknown header test; expected one of " + String.join(", ", HEADER_TESTS));
            }
            if (!tests.isEmpty()) {
                throw oneTest(settings, key, tests.iterator().next());
            }
            tests.add(key);
        }
        if (tests.isEmpty()) {
            throw settings.problem("header", "needs a test: one of " + String.join(", ", HEADER_TESTS));
        }
        String test = tests.iterator().next();
        switch (test) {
            case "is" -> {
                return new HeaderIs(header, texts(settings, test, false));
            }
            case "contains" -> {
                return new HeaderContains(header, texts(settings, test, true));
            }
            case "regex" -> {
                String regex = settings.string(test);
                try {
                    return HeaderRegex.compile(header, regex);
                } catch (PatternSyntaxException e) {
                    throw settings.problem(test, "is not a regular expression: " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                }
            }
            case "exists" -> {
                if (settings.optionalString(test).isEmpty()) {
                    throw settings.problem(test, "must be true or false");
                }
                return new HeaderExists(header, settings.flag(test, true));
            }
            default -> {
                Comparison comparison = null;
                for (Comparison candidate : Comparison.values()) {
                    if (candidate.key().equals(test)) {
                        comparison = candidate;
                    }
                }
                BigDecimal bound = settings.number(test);
                return new HeaderNumber(header, comparison, bound);
            }
        }
    }

    private static List<String> texts(FilterSettings settings, String test, boolean nonEmpty) {
        List<String> texts = settings.strings(test);
        if (texts.isEmpty()) {
            throw settings.problem(test, "is empty; give a text or a list of texts");
        }
        if (nonEmpty && texts.stream().anyMatch(String::isEmpty)) {
            throw settings.problem(test, "holds an empty text, which every header contains; use exists: true");
        }
        return texts;
    }

    private static FilterConfigException oneTest(FilterSettings settings, String key, String other) {
        return settings.problem(key, "a condition has one test and this one already has " + other
                + "; combine tests with all: or any:");
    }
}
