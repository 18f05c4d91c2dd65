package io.ivs.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every request of the Postman collection ({@value #COLLECTION}) is a documented operation: its
 * method and path match one, its query parameters are documented, and its body matches the
 * documented request schema. The document is the client copy, which
 * {@link OpenApiDocumentIntegrationTest} keeps equal to what IVS serves.
 */
class PostmanCollectionTest {
    static final String COLLECTION = "../docs/postman/ivs.postman_collection.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BASE = "{{baseUrl}}";

    private final JsonNode document = read(OpenApiDocumentIntegrationTest.CLIENT_COPY);
    private final DocumentedAnswers documented = new DocumentedAnswers(document);

    @Test
    void everyRequest_isADocumentedOperation_withADocumentedBody() {
        List<JsonNode> requests = new ArrayList<>();
        collect(read(COLLECTION).path("item"), requests);
        assertThat(requests).hasSizeGreaterThanOrEqualTo(15);
        for (JsonNode request : requests) {
            String method = request.path("method").asString();
            String raw = request.path("url").path("raw").asString();
            assertThat(raw).startsWith(BASE);
            String path = raw.substring(BASE.length()).split("\\?")[0];
            String template = template(method, path);
            JsonNode operation = documented.operation(method, template);
            for (JsonNode query : request.path("url").path("query")) {
                assertThat(hasQueryParameter(operation, query.path("key").asString()))
                        .as("%s %s documents query parameter %s", method, template, query)
                        .isTrue();
            }
            checkBody(method, template, operation, request.path("body"));
        }
    }

    private void checkBody(String method, String template, JsonNode operation, JsonNode body) {
        String mode = body.path("mode").asString("");
        if (mode.equals("raw")) {
            documented.checkRequest(method, template, body.path("raw").asString());
        } else if (mode.equals("urlencoded")) {
            assertThat(operation
                            .path("requestBody")
                            .path("content")
                            .has("application/x-www-form-urlencoded"))
                    .as("%s %s takes a form", method, template)
                    .isTrue();
        } else {
            assertThat(mode).as("%s %s body mode", method, template).isEmpty();
        }
    }

    /** The documented path a concrete path matches; {{variables}} fill template segments. */
    private String template(String method, String path) {
        String[] segments = path.split("/");
        for (var entry : document.path("paths").properties()) {
            String[] template = entry.getKey().split("/");
            if (template.length == segments.length
                    && matches(template, segments)
                    && entry.getValue().has(method.toLowerCase(Locale.ROOT))) {
                return entry.getKey();
            }
        }
        throw new AssertionError("no documented operation for " + method + " " + path);
    }

    private static boolean matches(String[] template, String[] segments) {
        for (int i = 0; i < template.length; i++) {
            boolean variable = template[i].startsWith("{");
            if (!variable && !template[i].equals(segments[i])) {
                return false;
            }
            if (variable == false && segments[i].startsWith("{{")) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasQueryParameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asString().equals("query")
                    && parameter.path("name").asString().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void collect(JsonNode items, List<JsonNode> requests) {
        for (JsonNode item : items) {
            if (item.has("request")) {
                requests.add(item.path("request"));
            }
            collect(item.path("item"), requests);
        }
    }

    private static JsonNode read(String file) {
        try {
            return JSON.readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
