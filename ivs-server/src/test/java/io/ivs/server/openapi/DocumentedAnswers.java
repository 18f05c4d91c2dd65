package io.ivs.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * Checks real answers against the schemas an OpenAPI 3.1 document gives for them (JSON Schema
 * 2020-12). Checks are strict: an object schema that lists its properties and says nothing
 * about others is read as allowing no others, so an answer field the document does not mention
 * fails as surely as a missing or mistyped one.
 */
final class DocumentedAnswers {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode document;
    private final JsonNode strictComponents;

    DocumentedAnswers(JsonNode document) {
        this.document = document;
        this.strictComponents = strict(document.path("components").deepCopy());
    }

    /** Fails unless {@code body} matches the schema documented for this answer. */
    void check(String method, String path, int status, String body) {
        validate(schemaOf(method, path, status), method + " " + path + " answered " + status, body);
    }

    /** Fails unless {@code body} matches the JSON request schema documented for the operation. */
    void checkRequest(String method, String path, String body) {
        JsonNode schema = operation(method, path)
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        assertThat(schema.isMissingNode())
                .as("%s %s takes a JSON body", method, path)
                .isFalse();
        validate(schema, method + " " + path + " sent", body);
    }

    /** The documented operation; fails the test when there is none. */
    JsonNode operation(String method, String path) {
        JsonNode operation =
                document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        assertThat(operation.isMissingNode())
                .as(method + " " + path + " is documented")
                .isFalse();
        return operation;
    }

    private void validate(JsonNode schema, String what, String body) {
        ObjectNode root = (ObjectNode) strict(schema.deepCopy());
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", strictComponents);
        Schema validator = REGISTRY.getSchema(root);
        List<Error> errors = validator.validate(JSON.readTree(body));
        assertThat(errors).as("%s: %s%nagainst %s", what, body, schema).isEmpty();
    }

    private JsonNode schemaOf(String method, String path, int status) {
        JsonNode operation = operation(method, path);
        JsonNode answer = operation.path("responses").path(Integer.toString(status));
        assertThat(answer.isMissingNode())
                .as("%s %s documents status %d", method, path, status)
                .isFalse();
        if (answer.has("$ref")) {
            String name = answer.path("$ref").asString().replace("#/components/responses/", "");
            answer = document.path("components").path("responses").path(name);
        }
        JsonNode content = answer.path("content");
        JsonNode media = content.has("application/json")
                ? content.path("application/json")
                : content.iterator().next();
        assertThat(media.has("schema"))
                .as("%s %s %d has a schema", method, path, status)
                .isTrue();
        return media.path("schema");
    }

    /** Adds {@code additionalProperties: false} wherever a schema lists only properties. */
    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.forEach(DocumentedAnswers::strict);
        } else if (node.isArray()) {
            node.forEach(DocumentedAnswers::strict);
        }
        return node;
    }
}
