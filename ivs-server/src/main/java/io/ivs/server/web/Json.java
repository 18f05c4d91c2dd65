package io.ivs.server.web;

import io.ivs.core.InvalidInputException;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading IV request bodies by hand: field names match case-insensitively (DESIGN D8), numbers
 * and numeric strings are exact decimals (D7), duplicate keys, deep nesting and malformed text
 * are rejected, and every error names the field it is about.
 */
public final class Json {
    public static final int NESTING_DEPTH_MAX = 32;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(NESTING_DEPTH_MAX)
                            .maxNumberLength(64)
                            .maxStringLength(1_000_000)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static JsonNode parse(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("body", "is empty; a JSON body is required");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInputException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // Jackson reports a number beyond BigDecimal's range (1e2147483648) this way.
            throw new InvalidInputException("body", "is not valid JSON: " + e.getMessage());
        }
    }

    public static JsonNode object(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new InvalidInputException(field, "must be a JSON object");
        }
        return node;
    }

    public static List<JsonNode> array(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new InvalidInputException(field, "must be a JSON array");
        }
        return new ArrayList<>(node.values());
    }

    /** The value of a field matched case-insensitively; two spellings of one name are an error. */
    public static @Nullable JsonNode field(JsonNode object, String name, String path) {
        JsonNode found = null;
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                if (found != null) {
                    throw new InvalidInputException(join(path, name), "is given more than once");
                }
                found = entry.getValue();
            }
        }
        return found == null || found.isNull() ? null : found;
    }

    public static String requiredText(JsonNode object, String name, String path) {
        String value = optionalText(object, name, path);
        if (value == null) {
            throw new InvalidInputException(join(path, name), "is required");
        }
        return value;
    }

    public static @Nullable String optionalText(JsonNode object, String name, String path) {
        JsonNode node = field(object, name, path);
        if (node == null) {
            return null;
        }
        return text(node, join(path, name));
    }

    public static String text(JsonNode node, String field) {
        if (node.isString()) {
            return requireStorable(field, node.stringValue());
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        throw new InvalidInputException(field, "must be a string");
    }

    /**
     * Rejects what PostgreSQL text cannot hold: U+0000, which fails the statement, and unpaired
     * surrogates, which would be stored as '?'.
     */
    public static String requireStorable(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new InvalidInputException(
                        field, "must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException(field, "contains an unpaired UTF-16 surrogate");
            }
        }
        return value;
    }

    /** A number field as an int (fractions cut off), or {@code fallback} when it is absent. */
    public static int optionalInt(JsonNode object, String name, String path, int fallback) {
        JsonNode node = field(object, name, path);
        return node == null ? fallback : decimal(node, path + "." + name).intValue();
    }

    public static boolean optionalBoolean(
            JsonNode object, String name, String path, boolean fallback) {
        JsonNode node = field(object, name, path);
        if (node == null) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            String text = node.stringValue().strip().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
        }
        throw new InvalidInputException(join(path, name), "must be true or false");
    }

    /** A JSON number or a numeric string as an exact decimal; NaN and Infinity are rejected. */
    public static BigDecimal decimal(JsonNode node, String field) {
        if (node.isNumber()) {
            if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
                double value = node.doubleValue();
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    throw new InvalidInputException(field, "must be a finite number");
                }
            }
            return node.decimalValue();
        }
        if (node.isString()) {
            String text = node.stringValue().strip();
            if (!text.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?")) {
                throw new InvalidInputException(
                        field, "'" + node.stringValue() + "' is not a number");
            }
            return new BigDecimal(text);
        }
        throw new InvalidInputException(field, "must be a number");
    }

    /** An object of string values, keys as given. */
    public static Map<String, String> stringMap(@Nullable JsonNode node, String field) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null) {
            return map;
        }
        object(node, field);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = join(field, entry.getKey());
            if (entry.getValue().isNull()) {
                throw new InvalidInputException(key, "must not be null");
            }
            if (entry.getValue().isContainer()) {
                throw new InvalidInputException(key, "must be a string");
            }
            map.put(entry.getKey(), text(entry.getValue(), key));
        }
        return map;
    }

    /** An array of strings; a single string is taken as a one-element list. */
    public static List<String> stringList(@Nullable JsonNode node, String field) {
        List<String> list = new ArrayList<>();
        if (node == null) {
            return list;
        }
        if (!node.isArray()) {
            if (node.isString() || node.isNumber()) {
                list.add(text(node, field));
                return list;
            }
            throw new InvalidInputException(field, "must be an array of strings");
        }
        int i = 0;
        for (JsonNode item : node.values()) {
            String itemField = field + "[" + i++ + "]";
            if (item.isNull() || item.isContainer()) {
                throw new InvalidInputException(itemField, "must be a string");
            }
            list.add(text(item, itemField));
        }
        return list;
    }

    public static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
