package org.popbridge.filters;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One filter's settings from the config: a map whose values are scalars (kept as the text
 * written in the file, so {@code YES} stays "YES"), lists and nested maps. Every getter that
 * finds something wrong throws a {@link FilterConfigException} pointing at that setting.
 */
public final class FilterSettings {

    /** A number and a unit: seconds, minutes, hours or days. */
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([smhd])", Pattern.CASE_INSENSITIVE);

    private final Map<String, Object> values;
    private final String pointer;

    private FilterSettings(Map<String, Object> values, String pointer) {
        this.values = values;
        this.pointer = pointer;
    }

    /**
     * Settings from a tree of maps, lists and scalar strings.
     *
     * @param pointer where the map stands in the config, as a JSON pointer (RFC 6901)
     */
    public static FilterSettings of(Map<String, ?> values, String pointer) {
        return new FilterSettings(Collections.unmodifiableMap(new LinkedHashMap<>(values)), pointer);
    }

    /** No settings at all, as for {@code - log: {}}. */
    public static FilterSettings empty(String pointer) {
        return of(Map.of(), pointer);
    }

    /** Where these settings stand in the config. */
    public String pointer() {
        return pointer;
    }

    /** The pointer of one key of these settings. */
    public String pointer(String key) {
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    /** The keys given, in the order of the file. */
    public Set<String> keys() {
        return values.keySet();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Rejects any key not among those named: a misspelt setting must not be silently ignored. */
    public void allowOnly(String... known) {
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(known));
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw problem(key, "unknown setting; expected one of " + String.join(", ", allowed));
            }
        }
    }

    /** A required scalar. */
    public String string(String key) {
        return optionalString(key).orElseThrow(() -> problem(key, "is required"));
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    public Optional<String> optionalString(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw problem(key, "must be a single value, not " + shape(value));
        }
        return Optional.of(text);
    }

    /** A decimal number such as {@code 5} or {@code -2.5}. */
    public Optional<BigDecimal> optionalNumber(String key) {
        return optionalString(key).map(text -> {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw problem(key, "must be a number, not \"" + text + "\"");
            }
        });
    }

    public BigDecimal number(String key) {
        return optionalNumber(key).orElseThrow(() -> problem(key, "is required"));
    }

    /**
     * A length of time: a number and a unit, {@code s}, {@code m}, {@code h} or {@code d}, such as
     * {@code 30s}, {@code 1.5h} or {@code 1d} (a day is 24 hours), or an ISO-8601 duration such as
     * {@code PT1H}. Never negative; zero is for the caller to allow or refuse.
     */
    public Optional<Duration> optionalDuration(String key) {
        return optionalString(key).map(text -> {
            String trimmed = text.trim();
            Matcher plain = DURATION.matcher(trimmed);
            Duration duration;
            try {
                if (plain.matches()) {
                    long unit = switch (Character.toLowerCase(plain.group(2).charAt(0))) {
                        case 's' -> 1;
                        case 'm' -> 60;
                        case 'h' -> 3600;
                        default -> 86400;
                    };
                    BigDecimal seconds = new BigDecimal(plain.group(1)).multiply(BigDecimal.valueOf(unit));
                    BigDecimal whole = seconds.setScale(0, RoundingMode.DOWN);
                    long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
                    duration = Duration.ofSeconds(whole.longValueExact(), nanos);
                } else if (trimmed.regionMatches(true, 0, "P", 0, 1)) {
                    duration = Duration.parse(trimmed);
                } else {
                    throw notADuration(key, text);
                }
            } catch (DateTimeParseException e) {
                throw notADuration(key, text);
            } catch (ArithmeticException e) {
                throw problem(key, "is too long: \"" + text + "\"");
            }
            if (duration.isNegative()) {
                throw notADuration(key, text);
            }
            return duration;
        });
    }

    /** A required {@linkplain #optionalDuration(String) duration}. */
    public Duration duration(String key) {
        return optionalDuration(key).orElseThrow(() -> problem(key, "is required"));
    }

    private FilterConfigException notADuration(String key, String text) {
        return problem(key, "must be a duration such as 30s, 10m, 1h or 1d, not \"" + text + "\"");
    }

    /** {@code true} or {@code false}. */
    public boolean flag(String key, boolean fallback) {
        return optionalString(key).map(text -> switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw problem(key, "must be true or false, not \"" + text + "\"");
        }).orElse(fallback);
    }

    /** One value or a list of values; empty if the key is absent. */
    public List<String> strings(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (!(value instanceof List<?> list)) {
            throw problem(key, "must be a value or a list of values, not " + shape(value));
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text)) {
                throw new FilterConfigException(pointer(key) + "/" + i, "must be a single value, not " + shape(list.get(i)));
            }
            texts.add(text);
        }
        return List.copyOf(texts);
    }

    /** A map of names to single values, such as headers to add; empty if the key is absent. */
    public Map<String, String> stringMap(String key) {
        FilterSettings section = optionalSection(key).orElse(null);
        if (section == null) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : section.keys()) {
            map.put(name, section.string(name));
        }
        return Collections.unmodifiableMap(map);
    }

    /** A nested map. */
    public FilterSettings section(String key) {
        return optionalSection(key).orElseThrow(() -> problem(key, "is required"));
    }

    @SuppressWarnings("unchecked")
    public Optional<FilterSettings> optionalSection(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw problem(key, "must be a map of settings, not " + shape(value));
        }
        return Optional.of(new FilterSettings((Map<String, Object>) map, pointer(key)));
    }

    /** A list of maps, such as rules; empty if the key is absent. */
    @SuppressWarnings("unchecked")
    public List<FilterSettings> sections(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw problem(key, "must be a list, not " + shape(value));
        }
        List<FilterSettings> sections = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String itemPointer = pointer(key) + "/" + i;
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw new FilterConfigException(itemPointer, "must be a map of settings, not " + shape(list.get(i)));
            }
            sections.add(new FilterSettings((Map<String, Object>) map, itemPointer));
        }
        return List.copyOf(sections);
    }

    /** An error about one key of these settings. */
    public FilterConfigException problem(String key, String problem) {
        return new FilterConfigException(pointer(key), problem);
    }

    /** An error about these settings as a whole. */
    public FilterConfigException problem(String problem) {
        return new FilterConfigException(pointer, problem);
    }

    private static String shape(Object value) {
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "\"" + value + "\"";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FilterSettings that && values.equals(that.values) && pointer.equals(that.pointer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, pointer);
    }

    @Override
    public String toString() {
        return pointer + " " + values;
    }
}
