package org.popbridge.proxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** How configuration errors read: "FILE:LINE: key 'a.b': problem", in the operator's words. */
final class ConfigMessages {

    /** What an unquoted value that starts with * needs, whether YAML failed on it or read it as an alias. */
    static final String UNQUOTED_STAR = "a value that starts with * must be in quotes, as in match: \"*@example.com\"";

    private static final String ALIAS_CONTEXT = "while scanning an alias";

    private ConfigMessages() {
    }

    /** A YAML syntax error, at the line SnakeYAML points to. */
    static ConfigException notYaml(Path file, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException syntax && syntax.getProblemMark() != null) {
            int line = syntax.getProblemMark().getLine() + 1;
            if (ALIAS_CONTEXT.equals(syntax.getContext())) {
                // YAML takes a leading * for an alias; route patterns such as *@example.com start with one.
                return new ConfigException(describe(file, line, null, "not valid YAML: " + UNQUOTED_STAR), e);
            }
            String problem = "not valid YAML: " + oneLine(syntax.getProblem());
            // An unclosed bracket or quote is noticed only at a later line; say where it opened.
            if (syntax.getContext() != null && syntax.getContextMark() != null
                    && syntax.getContextMark().getLine() + 1 != line) {
                problem += " (" + syntax.getContext() + " from line " + (syntax.getContextMark().getLine() + 1) + ")";
            }
            return new ConfigException(describe(file, line, null, problem), e);
        }
        return new ConfigException(describe(file, line(e), null, "not valid YAML: " + oneLine(e.getOriginalMessage())), e);
    }

    /** What is wrong with a value, without Jackson's class names and source excerpts. */
    static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return "unknown key (known here: " + known + ")";
        }
        if (e.getCause() instanceof SettingException setting) {
            return setting.getMessage();
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null) {
            return "expected " + expected(format.getTargetType()) + ", got '" + format.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + expected(mismatch.getTargetType());
        }
        return oneLine(e.getOriginalMessage());
    }

    /** What a value of {@code type} looks like in the file, in the operator's words. */
    static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s, 10m or 1h";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list, one '- ' item per line";
        }
        if (type == ListenerConfig.class || type == UpstreamConfig.class || type == SubmissionConfig.class) {
            return "a URL or 'key: value' settings";
        }
        return type == Path.class || type == String.class ? "a single value" : "'key: value' settings";
    }

    /** A parser message folded onto one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** Where the parser stood, or -1. */
    static int line(JsonProcessingException e) {
        return e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    }

    /** "FILE:LINE: key 'KEY': PROBLEM", leaving out what is unknown. */
    static String describe(Path file, int line, String key, String problem) {
        StringBuilder text = new StringBuilder(file.toString());
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (key != null) {
            text.append("key '").append(key).append("': ");
        }
        return text.append(problem).toString();
    }
}
