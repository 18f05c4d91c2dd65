package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;

import java.nio.charset.StandardCharsets;

/**
 * The on-hand explorer: an index query form and its results with physical and calculated
 * measures, and the same results as CSV. Queries go through {@link OnHandService}, exactly as
 * the API's index query does, so the explorer shows what an integration would get.
 */
@Controller
class OnHandExplorerController extends ConsoleController {
    /** The API version whose rules the explorer's queries follow (one organization). */
    private static final int API_VERSION = 1;

    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final OnHandService onHand;

    OnHandExplorerController(
            ConsoleAccess access, EnvironmentService environments, OnHandService onHand) {
        this.access = access;
        this.environments = environments;
        this.onHand = onHand;
    }

    @GetMapping("/console/env/{env}/onhand")
    String explorer(
            @PathVariable String env,
            OnHandForm form,
            @RequestHeader(value = "HX-Request", required = false) @Nullable String htmx,
            Authentication auth,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        model.addAttribute("page", page);
        model.addAttribute("nav", "onhand");
        model.addAttribute("form", form.submitted() ? form : OnHandForm.empty());
        if (form.submitted()) {
            try {
                model.addAttribute("table", query(env, form));
            } catch (InvalidInputException e) {
                // htmx swaps only successful answers in; a plain request gets the real status.
                response.setStatus(htmx == null ? 400 : 200);
                model.addAttribute("error", e.getMessage());
            }
        }
        // htmx asks for the results only; a plain request (no script) gets the whole page.
        return htmx != null ? "console/onhand :: results" : "console/onhand";
    }

    @GetMapping("/console/env/{env}/onhand.csv")
    ResponseEntity<byte[]> csv(@PathVariable String env, OnHandForm form, Authentication auth) {
        access.page(auth, env, Role.INVENTORY_READ);
        if (!form.submitted()) {
            throw new InvalidInputException("organizationId", "is required");
        }
        byte[] body = query(env, form).csv().getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("onhand-" + env + ".csv")
                                .build()
                                .toString())
                .body(body);
    }

    private ResultTable query(String env, OnHandForm form) {
        RuntimeConfiguration config = environments.configuration(env);
        return ResultTable.of(
                config, onHand.query(EnvironmentId.of(env), form.request(), API_VERSION));
    }
}
