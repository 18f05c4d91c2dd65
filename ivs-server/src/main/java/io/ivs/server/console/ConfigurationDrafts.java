package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.ConfigurationValidator;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.server.environment.ConfigurationDocuments;
import io.ivs.server.environment.ConfigurationStore;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.web.Json;

import jakarta.servlet.http.HttpSession;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Configuration changes that an operator has made but not yet applied, one draft per
 * environment, kept in the session (that is in PostgreSQL, so any instance sees it). A draft
 * remembers the version it was based on, so that applying it over someone else's newer version
 * is refused instead of silently undoing that version. Parsing and validation are the server's
 * own ({@link ConfigurationDocuments}, {@link ConfigurationValidator}).
 */
@Component
class ConfigurationDrafts {
    private static final String ATTRIBUTE = "ivs.console.draft:";
    static final int HISTORY_SHOWN_MAX = 100;

    /** A draft document and the active version it started from. */
    record Draft(int baseVersion, String document) implements Serializable {}

    private final EnvironmentService environments;

    ConfigurationDrafts(EnvironmentService environments) {
        this.environments = environments;
    }

    int activeVersion(String environmentId) {
        List<ConfigurationStore.Version> latest = environments.history(environmentId, 1);
        return latest.isEmpty() ? 0 : latest.get(0).version();
    }

    @Nullable
    Draft draft(HttpSession session, String environmentId) {
        return session.getAttribute(ATTRIBUTE + environmentId) instanceof Draft draft
                ? draft
                : null;
    }

    /** The document the pages show and edit: the draft, or else the active configuration. */
    String working(HttpSession session, String environmentId) {
        Draft draft = draft(session, environmentId);
        return draft == null ? environments.document(environmentId) : draft.document();
    }

    ObjectNode workingCopy(HttpSession session, String environmentId) {
        return ConfigurationEditor.copy(parse(working(session, environmentId)));
    }

    /** Stores an edited document as the draft, keeping the version the draft started from. */
    void save(HttpSession session, String environmentId, JsonNode document) {
        Draft existing = draft(session, environmentId);
        int base = existing == null ? activeVersion(environmentId) : existing.baseVersion();
        session.setAttribute(
                ATTRIBUTE + environmentId,
                new Draft(base, Json.mapper().writeValueAsString(document)));
    }

    /** Bases the draft on the active version again, after the operator saw the new diff. */
    void rebase(HttpSession session, String environmentId) {
        Draft existing = draft(session, environmentId);
        if (existing != null) {
            session.setAttribute(
                    ATTRIBUTE + environmentId,
                    new Draft(activeVersion(environmentId), existing.document()));
        }
    }

    void discard(HttpSession session, String environmentId) {
        session.removeAttribute(ATTRIBUTE + environmentId);
    }

    /** The document parsed as the API parses it; null with the problem when it cannot be. */
    static @Nullable RuntimeConfiguration parsed(String document, List<String> problems) {
        try {
            return ConfigurationDocuments.parse(parse(document));
        } catch (InvalidInputException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Every problem the API would report for this document; empty when it is valid. */
    static List<String> problems(String document) {
        List<String> problems = new java.util.ArrayList<>();
        RuntimeConfiguration config = parsed(document, problems);
        if (config != null) {
            problems.addAll(ConfigurationValidator.validate(config));
        }
        return problems;
    }

    static JsonNode parse(String document) {
        return Json.parse(document.getBytes(StandardCharsets.UTF_8));
    }

    static String pretty(String document) {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(parse(document));
    }
}
