package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.OnHandService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;

import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
    private final SavedQueries saved;

    OnHandExplorerController(
            ConsoleAccess access,
            EnvironmentService environments,
            OnHandService onHand,
            SavedQueries saved) {
        this.access = access;
        this.environments = environments;
        this.onHand = onHand;
        this.saved = saved;
    }

    /** Saves the query of the page it is sent from under a name, for this client only. */
    @PostMapping("/console/env/{env}/onhand/saved")
    String save(
            @PathVariable String env,
            @RequestParam String name,
            @RequestParam String query,
            Authentication auth) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        saved.save(page.clientId(), env, name, query);
        return "redirect:" + page.base() + "/onhand?" + query;
    }

    @PostMapping("/console/env/{env}/onhand/saved/delete")
    String deleteSaved(@PathVariable String env, @RequestParam String name, Authentication auth) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        saved.delete(page.clientId(), env, name);
        return "redirect:" + page.base() + "/onhand";
    }

    @GetMapping("/console/env/{env}/onhand")
    String explorer(
            @PathVariable String env,
            OnHandForm form,
            @RequestParam(required = false) @Nullable Integer pageNumber,
            @RequestParam(required = false) @Nullable Integer pageSize,
            @RequestParam(required = false) @Nullable String sort,
            @RequestParam(defaultValue = "false") boolean desc,
            @RequestHeader(value = "HX-Request", required = false) @Nullable String htmx,
            Authentication auth,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        model.addAttribute("page", page);
        model.addAttribute("nav", "onhand");
        model.addAttribute("form", form.submitted() ? form : OnHandForm.empty());
        model.addAttribute("saved", saved.list(page.clientId(), env));
        model.addAttribute(
                "query", request.getQueryString() == null ? "" : request.getQueryString());
        if (form.submitted()) {
            try {
                ExplorerPage results =
                        ExplorerPage.of(query(env, form), pageNumber, pageSize, sort, desc);
                model.addAttribute("results", results);
                model.addAttribute("table", results.table());
                model.addAttribute(
                        "links",
                        ExplorerLinks.of(page.base() + "/onhand", request.getQueryString()));
            } catch (InvalidInputException e) {
                // htmx swaps only successful answers in; a plain request gets the real status.
                response.setStatus(htmx == null ? 400 : 200);
                model.addAttribute("error", e.getMessage());
            }
        }
        // htmx asks for the results only; a plain request (no script) gets the whole page.
        return htmx != null ? "console/onhand :: results" : "console/onhand";
    }

    /**
     * The whole result as CSV, in the order asked for, written to the response row by row as it
     * is formatted rather than built as one string first.
     */
    @GetMapping("/console/env/{env}/onhand.csv")
    ResponseEntity<StreamingResponseBody> csv(
            @PathVariable String env,
            OnHandForm form,
            @RequestParam(required = false) @Nullable String sort,
            @RequestParam(defaultValue = "false") boolean desc,
            Authentication auth) {
        access.page(auth, env, Role.INVENTORY_READ);
        if (!form.submitted()) {
            throw new InvalidInputException("organizationId", "is required");
        }
        ResultTable table = ExplorerPage.sorted(query(env, form), sort, desc);
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            table.writeCsv(writer);
            writer.flush();
        };
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
