package io.ivs.server.openapi;

import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the typed description of the API ({@value #RESOURCE}) into the document springdoc
 * builds from the controllers. The controllers read raw bytes and write answers by hand (so that
 * IV's lenient wire format and its error envelopes stay under their control), which leaves
 * springdoc nothing to infer schemas from; the routes and their parameters still come from the
 * controllers, so a new route appears in the document at once, and the document test fails until
 * it is described here.
 *
 * <p>The description is a YAML file rather than Java builder code because it is a document: it
 * reads like the answers it describes, and reviewers compare it with the spec line by line.
 */
@Configuration(proxyBeanMethods = false)
public class TypedApiDocument {
    static final String RESOURCE = "openapi/ivs-api.yaml";

    /** The extension on a path item that lists other spellings of the same route. */
    public static final String ALIASES = "x-ivs-aliases";

    /** Routes for people, not programs: the console's pages and its own event stream. */
    private static final String CONSOLE_PREFIX = "/console";

    @Bean
    OpenApiCustomizer typedDescription() {
        OpenAPI typed = load();
        return discovered -> merge(typed, discovered);
    }

    /** The typed description as it is stored, for tests that compare it with the routes. */
    public static OpenAPI load() {
        try (InputStream in =
                TypedApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return Yaml31.mapper().readValue(in, OpenAPI.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void merge(OpenAPI typed, OpenAPI discovered) {
        discovered.setInfo(typed.getInfo());
        discovered.setTags(typed.getTags());
        Components components =
                discovered.getComponents() == null ? new Components() : discovered.getComponents();
        Components given = typed.getComponents();
        // Springdoc's own schemas describe the controllers' Java types (byte arrays, maps,
        // emitters), not the wire; only the typed ones are true.
        components.setSchemas(new LinkedHashMap<>(given.getSchemas()));
        given.getResponses().forEach(components::addResponses);
        given.getExamples().forEach(components::addExamples);
        discovered.setComponents(components);
        discovered.setPaths(mergePaths(typed.getPaths(), discovered.getPaths()));
    }

    private static Paths mergePaths(Paths typed, @Nullable Paths discovered) {
        Map<String, String> aliases = aliases(typed);
        Paths merged = new Paths();
        if (discovered == null) {
            return merged;
        }
        discovered.forEach((path, item) -> {
            if (path.startsWith(CONSOLE_PREFIX) || aliases.containsKey(path)) {
                return;
            }
            PathItem description = typed.get(path);
            if (description != null && description.getExtensions() != null) {
                // The other spellings stay listed, for clients and for the tests that probe
                // every route IVS serves.
                item.setExtensions(new LinkedHashMap<>(description.getExtensions()));
            }
            item.readOperationsMap().forEach((method, operation) -> {
                Operation typedOperation = description == null
                        ? null
                        : description.readOperationsMap().get(method);
                if (typedOperation != null) {
                    describe(path, operation, typedOperation);
                }
            });
            merged.addPathItem(path, item);
        });
        return merged;
    }

    /** Each alias path mapped to the path it spells differently. */
    static Map<String, String> aliases(Paths typed) {
        Map<String, String> aliases = new HashMap<>();
        typed.forEach((path, item) -> {
            if (item.getExtensions() != null
                    && item.getExtensions().get(ALIASES) instanceof List<?> list) {
                list.forEach(alias -> aliases.put(String.valueOf(alias), path));
            }
        });
        return aliases;
    }

    private static void describe(String path, Operation operation, Operation typed) {
        operation.setOperationId(typed.getOperationId());
        operation.setTags(typed.getTags());
        operation.setSummary(typed.getSummary());
        operation.setDescription(typed.getDescription());
        operation.setRequestBody(typed.getRequestBody());
        if (typed.getSecurity() != null) {
            operation.setSecurity(typed.getSecurity());
        }
        if (typed.getParameters() != null) {
            operation.setParameters(parameters(operation.getParameters(), typed.getParameters()));
        }
        ApiResponses responses = new ApiResponses();
        typed.getResponses().forEach(responses::addApiResponse);
        ErrorAnswers.addTo(path, responses);
        operation.setResponses(responses);
    }

    /**
     * The typed parameters, after those springdoc found in the path and in headers: the typed
     * ones replace query parameters that the controller reads as a whole map.
     */
    private static List<Parameter> parameters(
            @Nullable List<Parameter> found, List<Parameter> typed) {
        Map<String, Parameter> merged = new LinkedHashMap<>();
        if (found != null) {
            found.stream()
                    .filter(p -> !"query".equals(p.getIn()))
                    .forEach(p -> merged.put(p.getIn() + " " + p.getName(), p));
        }
        typed.forEach(p -> merged.put(p.getIn() + " " + p.getName(), p));
        return new ArrayList<>(merged.values());
    }

    /** The failure answers every operation can give, unless its description names them. */
    static final class ErrorAnswers {
        /**
         * 409: a conflict (a refused allocation, or a request the database aborted); 500: a
         * refused checked reservation answers it as the original service does, and so does a
         * failure of IVS itself.
         */
        private static final List<String> STATUSES =
                List.of("400", "401", "403", "404", "409", "500", "503");

        private ErrorAnswers() {}

        static void addTo(String path, ApiResponses responses) {
            String shape = path.startsWith("/api/") ? "IvFailure" : "Problem";
            for (String status : STATUSES) {
                if (!responses.containsKey(status)) {
                    responses.addApiResponse(
                            status, new ApiResponse().$ref("#/components/responses/" + shape));
                }
            }
        }
    }
}
