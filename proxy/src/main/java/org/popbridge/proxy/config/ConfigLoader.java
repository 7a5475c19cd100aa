package org.popbridge.proxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/** Reads the YAML configuration file; every error names the file, line, key and problem. */
public final class ConfigLoader {

    private final YAMLMapper mapper;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("popbridge-durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String text = parser.getValueAsString();
                try {
                    return Durations.parse(text == null ? parser.getText() : text);
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

    public PopbridgeConfig load(Path file) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            PopbridgeConfig config = mapper.readValue(in, PopbridgeConfig.class);
            return config == null ? PopbridgeConfig.defaults() : config;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (JsonMappingException e) {
            throw new ConfigException(describe(file, e.getLocation(), keyPath(e), problem(e)), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(file, e.getLocation(), null, "not valid YAML: " + e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String keyPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? null : path;
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return "unknown key '" + unknown.getPropertyName() + "' (known here: " + known + ")";
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        String message = e.getOriginalMessage();
        int detail = message.indexOf(" at [Source");
        return detail < 0 ? message : message.substring(0, detail);
    }

    private static String describe(Path file, JsonLocation location, String key, String problem) {
        StringBuilder text = new StringBuilder(file.toString());
        if (location != null && location.getLineNr() > 0) {
            text.append(':').append(location.getLineNr());
        }
        text.append(": ");
        if (key != null) {
            text.append("key '").append(key).append("': ");
        }
        return text.append(problem).toString();
    }
}
