package org.popbridge.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.filters.FilterConfigException;

/** Reads the YAML configuration file; every error names the file, line, key and problem. */
public final class ConfigLoader {

    private final YAMLMapper mapper;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("popbridge-durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (!parser.currentToken().isScalarValue()) {
                    return (Duration) context.handleUnexpectedToken(Duration.class, parser);
                }
                try {
                    return Durations.parse(parser.getText());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(parser, e.getMessage());
                }
            }
        });
        mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(durations)
                .build();
    }

    /** Reads and checks the file, building the filter chain it names. */
    public PopbridgeConfig load(Path file) throws ConfigException {
        byte[] yaml;
        try {
            yaml = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return load(file, yaml);
    }

    /**
     * Reads and checks a config that is not a file of its own, such as one shipped as a resource;
     * {@code file} names it in error messages.
     */
    public PopbridgeConfig load(Path file, byte[] yaml) throws ConfigException {
        Map<String, Integer> lines = keyLines(file, yaml);
        if (lines.isEmpty()) {
            // A file with nothing but comments runs on the defaults, like no file at all.
            return PopbridgeConfig.defaults();
        }
        try {
            PopbridgeConfig config = mapper.readValue(yaml, PopbridgeConfig.class);
            return config == null ? PopbridgeConfig.defaults() : config;
        } catch (JsonMappingException e) {
            FilterConfigException filter = filterProblem(e);
            if (filter != null) {
                throw locatedFilterProblem(file, lines, filter, e);
            }
            List<Object> path = path(e);
            if (e.getCause() instanceof SettingException setting) {
                path.addAll(setting.path());
            }
            throw located(file, lines, path, ConfigMessages.problem(e), e);
        } catch (JsonProcessingException e) {
            throw ConfigMessages.notYaml(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        } catch (FilterConfigException e) {
            // Only if Jackson were set not to wrap what creators throw; located the same way.
            throw locatedFilterProblem(file, lines, e, e);
        }
    }

    /**
     * The line of every key and list item in the file, by JSON pointer. This pass also rejects
     * what binding would not: a syntax error, and a key given twice (the first value would be lost).
     */
    private Map<String, Integer> keyLines(Path file, byte[] yaml) throws ConfigException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = mapper.createParser(yaml)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                int line = parser.currentTokenLocation().getLineNr();
                Integer first = lines.putIfAbsent(pointer, line);
                if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
                    // Jackson would bind *name as the text "name": a route for "*foo" would silently take "foo".
                    throw new ConfigException(ConfigMessages.describe(file, line,
                            keyName(segments(parser.getParsingContext().pathAsPointer())), ConfigMessages.UNQUOTED_STAR));
                }
                if (token == JsonToken.FIELD_NAME && first != null) {
                    throw new ConfigException(ConfigMessages.describe(file, line,
                            keyName(segments(parser.getParsingContext().pathAsPointer())),
                            "given twice (first on line " + first + ")"));
                }
            }
        } catch (JsonProcessingException e) {
            throw ConfigMessages.notYaml(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return lines;
    }

    /**
     * Jackson reports where the parser stood when it gave up, which for a value checked by a
     * record is the end of the enclosing object; so the line is looked up from the key instead,
     * or from its nearest enclosing key if the key itself is not in the file (a missing url).
     */
    private static ConfigException located(Path file, Map<String, Integer> lines, List<Object> path, String problem,
                                           Exception cause) {
        List<Object> found = path.subList(0, nearest(lines, path));
        int line = lines.getOrDefault(pointer(found).toString(), -1);
        return new ConfigException(ConfigMessages.describe(file, line, keyName(found), problem), cause);
    }

    /** How many leading segments of {@code path} lead to a key or item that is in the file. */
    private static int nearest(Map<String, Integer> lines, List<Object> path) {
        int length = path.size();
        while (length > 0 && !lines.containsKey(pointer(path.subList(0, length)).toString())) {
            length--;
        }
        return length;
    }

    /**
     * A filter's setting is named whole, as the filter points at it, even when only an enclosing
     * key is in the file (a required setting left out); the line is the nearest one there.
     */
    private static ConfigException locatedFilterProblem(Path file, Map<String, Integer> lines,
                                                        FilterConfigException problem, Exception cause) {
        List<Object> path;
        try {
            path = segments(JsonPointer.compile(problem.pointer()));
        } catch (IllegalArgumentException e) {
            // A third-party filter's malformed pointer: show it as given rather than lose the problem.
            return new ConfigException(ConfigMessages.describe(file, -1, problem.pointer(), problem.problem()), cause);
        }
        int line = lines.getOrDefault(pointer(path.subList(0, nearest(lines, path))).toString(), -1);
        return new ConfigException(ConfigMessages.describe(file, line, keyName(path), problem.problem()), cause);
    }

    /** The filter problem behind a binding error: Jackson wraps what a deserializer or creator throws. */
    private static FilterConfigException filterProblem(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof FilterConfigException filter) {
                return filter;
            }
        }
        return null;
    }

    private static List<Object> path(JsonMappingException e) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : (Object) ref.getIndex());
        }
        return path;
    }

    private static List<Object> segments(JsonPointer pointer) {
        List<Object> path = new ArrayList<>();
        for (JsonPointer at = pointer; !at.matches(); at = at.tail()) {
            path.add(at.mayMatchElement() ? (Object) at.getMatchingIndex() : at.getMatchingProperty());
        }
        return path;
    }

    private static JsonPointer pointer(List<Object> path) {
        JsonPointer pointer = JsonPointer.empty();
        for (Object segment : path) {
            pointer = segment instanceof Integer index ? pointer.appendIndex(index) : pointer.appendProperty((String) segment);
        }
        return pointer;
    }

    private static String keyName(List<Object> path) {
        StringBuilder name = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                name.append('[').append(index).append(']');
            } else {
                name.append(name.length() == 0 ? "" : ".").append(segment);
            }
        }
        return name.length() == 0 ? null : name.toString();
    }

}
