package org.popbridge.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key and list item of a config file is, so that a problem found in a setting, at
 * load time or later (certificates, the servers a start needs), is told as "FILE:LINE: key
 * 'a.b': problem". Reading the lines also rejects what binding would not: a syntax error, and
 * a key given twice (the first value would be lost).
 */
public final class ConfigFileLines {

    private final Path file;
    private final Map<String, Integer> lines;

    private ConfigFileLines(Path file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** The lines of the file at {@code file}. */
    public static ConfigFileLines read(Path file) throws ConfigException {
        try {
            return of(file, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The lines of {@code yaml}, named {@code file} in messages. */
    static ConfigFileLines of(Path file, byte[] yaml) throws ConfigException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
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
        return new ConfigFileLines(file, lines);
    }

    /** Whether the file has nothing but comments. */
    boolean empty() {
        return lines.isEmpty();
    }

    public Path file() {
        return file;
    }

    /**
     * {@code problem} with the setting at {@code path} (key names, and list indexes as Integer),
     * at the line of that setting, or of its nearest enclosing one if it is not written in the
     * file (a default, or a missing key).
     */
    public ConfigProblem problem(List<Object> path, String problem) {
        List<Object> found = path.subList(0, nearest(path));
        return new ConfigProblem(file, lines.getOrDefault(pointer(found).toString(), -1), keyName(found), problem);
    }

    /** Like {@link #problem}, but the key is named whole even when only an enclosing key is in the file. */
    ConfigProblem problemNamedWhole(List<Object> path, String problem) {
        int line = lines.getOrDefault(pointer(path.subList(0, nearest(path))).toString(), -1);
        return new ConfigProblem(file, line, keyName(path), problem);
    }

    /** Whether the setting at {@code path} is written in the file. */
    public boolean has(List<Object> path) {
        return lines.containsKey(pointer(path).toString());
    }

    /** How many leading segments of {@code path} lead to a key or item that is in the file. */
    private int nearest(List<Object> path) {
        int length = path.size();
        while (length > 0 && !lines.containsKey(pointer(path.subList(0, length)).toString())) {
            length--;
        }
        return length;
    }

    static List<Object> segments(JsonPointer pointer) {
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

    /** "routes[1].upstream.ca", or null for the whole file. */
    static String keyName(List<Object> path) {
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
