package org.popbridge.filters.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an audit line back the way a log shipper would: {@code key=value} fields separated by
 * one space, a value either bare or quoted with backslash escapes. Strict, so a line that could
 * be read two ways fails the test instead of passing it.
 */
final class AuditFields {

    private AuditFields() {}

    /** The fields in order; throws if the line is not exactly a sequence of fields. */
    static List<Map.Entry<String, String>> parse(String line) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            int equals = line.indexOf('=', i);
            if (equals < 0) {
                throw new IllegalArgumentException("no = after " + line.substring(i));
            }
            String key = line.substring(i, equals);
            if (!key.matches("[a-z_]+")) {
                throw new IllegalArgumentException("not a key: " + key);
            }
            i = equals + 1;
            StringBuilder value = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c != '\\') {
                        value.append(c);
                        continue;
                    }
                    char escaped = line.charAt(i++);
                    switch (escaped) {
                        case 'r' -> value.append('\r');
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case 'u' -> {
                            value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                            i += 4;
                        }
                        case '"', '\\' -> value.append(escaped);
                        default -> throw new IllegalArgumentException("bad escape \\" + escaped);
                    }
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    char c = line.charAt(i++);
                    if (c == '"' || c == '\\' || c == '=') {
                        throw new IllegalArgumentException("unquoted " + c);
                    }
                    value.append(c);
                }
            }
            fields.add(Map.entry(key, value.toString()));
            if (i < line.length()) {
                if (line.charAt(i) != ' ' || i + 1 == line.length()) {
                    throw new IllegalArgumentException("fields must be separated by one space at " + i);
                }
                i++;
            }
        }
        return fields;
    }

    /** The keys in order. */
    static List<String> keys(String line) {
        return parse(line).stream().map(Map.Entry::getKey).toList();
    }

    /** The value of one key, which must occur exactly once. */
    static String value(String line, String key) {
        List<String> values = parse(line).stream().filter(f -> f.getKey().equals(key)).map(Map.Entry::getValue).toList();
        if (values.size() != 1) {
            throw new IllegalArgumentException(key + " occurs " + values.size() + " times in " + line);
        }
        return values.get(0);
    }
}
