package io.ivs.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.HttpTestSupport;
import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI document that IVS serves at {@code /v3/api-docs} describes its public API
 * completely and once: every route of a controller (outside the console) is an operation with
 * an operation id, a declared tag, a schema for its success answer and, where the route reads a
 * body, a request schema; no operation lacks a route; and the copy that the clients are
 * generated from ({@value #CLIENT_COPY}) is the document served.
 */
class OpenApiDocumentIntegrationTest extends HttpTestSupport {
    static final String CLIENT_COPY = "../ivs-client/src/main/openapi/ivs.json";
    private static final Path LIVE_COPY = Path.of("target/openapi/ivs.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private JsonNode document;

    @BeforeEach
    void fetch() {
        document = fetchDocument(client);
    }

    /** The served document without the server address, which names this test's random port. */
    static JsonNode fetchDocument(IvsClient client) {
        IvsClient.Response response = client.withoutAuth().get("/v3/api-docs");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        ObjectNode document = (ObjectNode) response.json();
        document.remove("servers");
        return document;
    }

    @Test
    void everyOperation_hasAnIdATagAndTypedAnswers() {
        Set<String> tags = new HashSet<>();
        document.path("tags").forEach(tag -> tags.add(tag.path("name").asString()));
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        forEachOperation((key, operation) -> {
            String id = operation.path("operationId").asString("");
            if (id.isBlank() || !ids.add(id)) {
                problems.add(key + ": operationId missing or not unique: '" + id + "'");
            }
            JsonNode opTags = operation.path("tags");
            if (opTags.isEmpty() || !tags.contains(opTags.get(0).asString())) {
                problems.add(key + ": no declared tag (has " + opTags + ")");
            }
            checkSuccess(key, operation, problems);
        });
        assertThat(problems).isEmpty();
        assertThat(ids).hasSizeGreaterThan(50);
    }

    @Test
    void everyRoute_isDocumented_andEveryOperation_hasARoute() {
        Map<String, String> aliases =
                TypedApiDocument.aliases(TypedApiDocument.load().getPaths());
        Set<String> documented = new TreeSet<>();
        forEachOperation((key, operation) -> documented.add(key));
        Set<String> routes = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        publicRoutes().forEach((key, handler) -> {
            String method = key.substring(0, key.indexOf(' '));
            String path = key.substring(key.indexOf(' ') + 1);
            String canonical = method + " " + aliases.getOrDefault(path, path);
            routes.add(canonical);
            if (!documented.contains(canonical)) {
                problems.add("route not documented: " + key);
            } else if (takesBody(handler) && !hasRequestSchema(operation(canonical))) {
                problems.add(canonical + ": reads a body but documents no request schema");
            }
        });
        documented.stream()
                .filter(key -> !routes.contains(key))
                .forEach(key -> problems.add("documented without a route: " + key));
        TypedApiDocument.load().getPaths().keySet().stream()
                .filter(path -> !documentedPath(documented, path))
                .forEach(path -> problems.add("ivs-api.yaml describes no route: " + path));
        assertThat(problems).isEmpty();
        assertThat(routes).hasSameSizeAs(documented);
    }

    @Test
    void clientCopy_isTheServedDocument() throws IOException {
        String live = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        Files.createDirectories(LIVE_COPY.getParent());
        Files.writeString(LIVE_COPY, live);
        Path copy = Path.of(CLIENT_COPY);
        assertThat(copy).as("the client's copy of the document").exists();
        assertThat(JSON.readTree(Files.readString(copy)))
                .as(
                        "ivs-client's copy differs from the served document; refresh it with:%n"
                                + "  cp ivs-server/%s ivs-client/src/main/openapi/ivs.json",
                        LIVE_COPY)
                .isEqualTo(document);
    }

    private void checkSuccess(String key, JsonNode operation, List<String> problems) {
        String success = null;
        for (var status : operation.path("responses").propertyNames()) {
            if (status.startsWith("2") && (success == null || status.compareTo(success) < 0)) {
                success = status;
            }
        }
        if (success == null) {
            problems.add(key + ": no success answer");
            return;
        }
        if (success.equals("204")) {
            return;
        }
        JsonNode content = operation.path("responses").path(success).path("content");
        if (content.isEmpty()) {
            problems.add(key + ": " + success + " has no content");
        }
        for (JsonNode media : content) {
            if (!media.has("schema")) {
                problems.add(key + ": " + success + " has no schema");
            }
        }
    }

    private static boolean hasRequestSchema(JsonNode operation) {
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isEmpty()) {
            return false;
        }
        for (JsonNode media : content) {
            if (!media.has("schema")) {
                return false;
            }
        }
        return true;
    }

    private static boolean documentedPath(Set<String> documented, String path) {
        return documented.stream().anyMatch(key -> key.endsWith(" " + path));
    }

    private JsonNode operation(String key) {
        String method = key.substring(0, key.indexOf(' ')).toLowerCase(Locale.ROOT);
        return document.path("paths").path(key.substring(key.indexOf(' ') + 1)).path(method);
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> action) {
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().stream()
                        .filter(op -> METHODS.contains(op.getKey()))
                        .forEach(op -> action.accept(
                                op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                                op.getValue())));
    }

    /** "METHOD /path" of every route served by IVS's own controllers, but the console's. */
    private Map<String, HandlerMethod> publicRoutes() {
        Map<String, HandlerMethod> routes = new java.util.TreeMap<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            String type = handler.getBeanType().getPackageName();
            if (!type.startsWith("io.ivs.server") || type.startsWith("io.ivs.server.console")) {
                return;
            }
            for (String path : patterns(info)) {
                info.getMethodsCondition()
                        .getMethods()
                        .forEach(method -> routes.put(method.name() + " " + path, handler));
            }
        });
        assertThat(routes).isNotEmpty();
        return routes;
    }

    private static Set<String> patterns(RequestMappingInfo info) {
        return info.getPathPatternsCondition() == null
                ? info.getPatternValues()
                : info.getPathPatternsCondition().getPatternValues();
    }

    /** Whether a route reads a body: a {@code @RequestBody} parameter or a declared type. */
    private static boolean takesBody(HandlerMethod handler) {
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                return true;
            }
        }
        return false;
    }
}
