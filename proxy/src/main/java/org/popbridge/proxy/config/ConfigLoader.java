package org.popbridge.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        ConfigFileLines lines = ConfigFileLines.of(file, yaml);
        if (lines.empty()) {
            // A file with nothing but comments runs on the defaults, like no file at all.
            return PopbridgeConfig.defaults();
        }
        try {
            PopbridgeConfig config = mapper.readValue(yaml, PopbridgeConfig.class);
            return config == null ? PopbridgeConfig.defaults() : config;
        } catch (JsonMappingException e) {
            FilterConfigException filter = filterProblem(e);
            if (filter != null) {
                throw locatedFilterProblem(lines, filter, e);
            }
            List<Object> path = path(e);
            if (e.getCause() instanceof SettingException setting) {
                path.addAll(setting.path());
            }
            throw located(lines, path, ConfigMessages.problem(e), e);
        } catch (JsonProcessingException e) {
            throw ConfigMessages.notYaml(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        } catch (FilterConfigException e) {
            // Only if Jackson were set not to wrap what creators throw; located the same way.
            throw locatedFilterProblem(lines, e, e);
        }
    }

    /**
     * Jackson reports where the parser stood when it gave up, which for a value checked by a
     * record is the end of the enclosing object; so the line is looked up from the key instead,
     * or from its nearest enclosing key if the key itself is not in the file (a missing url).
     */
    private static ConfigException located(ConfigFileLines lines, List<Object> path, String problem, Exception cause) {
        return new ConfigException(lines.problem(path, problem).toString(), cause);
    }

    /**
     * A filter's setting is named whole, as the filter points at it, even when only an enclosing
     * key is in the file (a required setting left out); the line is the nearest one there.
     */
    private static ConfigException locatedFilterProblem(ConfigFileLines lines, FilterConfigException problem,
                                                        Exception cause) {
        List<Object> path;
        try {
            path = ConfigFileLines.segments(JsonPointer.compile(problem.pointer()));
        } catch (IllegalArgumentException e) {
            // A third-party filter's malformed pointer: show it as given rather than lose the problem.
            return new ConfigException(ConfigMessages.describe(lines.file(), -1, problem.pointer(), problem.problem()),
                    cause);
        }
        return new ConfigException(lines.problemNamedWhole(path, problem.problem()).toString(), cause);
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

}
