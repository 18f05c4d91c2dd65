package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.imports.ImportMode;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import java.io.IOException;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * The Import page: upload a CSV of on-hand changes or set-on-hand records, follow the job's
 * progress, download the refused rows. Needs {@code inventory.write}, the role the same writes
 * need through the API. The page's script sends the file as the request body (so no multipart
 * size limit applies; {@link ImportJobs#UPLOAD_BYTES_MAX} does) and polls the job's state.
 */
@Controller
class ImportPageController extends ConsoleController {
    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final ImportJobs jobs;

    ImportPageController(ConsoleAccess access, EnvironmentService environments, ImportJobs jobs) {
        this.access = access;
        this.environments = environments;
        this.jobs = jobs;
    }

    @GetMapping("/console/env/{env}/import")
    String page(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        RuntimeConfiguration config = environments.configuration(env);
        model.addAttribute("page", page);
        model.addAttribute("nav", "import");
        model.addAttribute(
                "dataSources",
                // The data sources clients write come first; IVS's own (@iv) last.
                config.dataSources().keySet().stream()
                        .sorted(Comparator.comparing((String name) -> name.startsWith("@"))
                                .thenComparing(Comparator.naturalOrder()))
                        .toList());
        model.addAttribute("jobs", jobs.list(page.clientId(), env));
        return "console/import";
    }

    /** Starts a job from the CSV in the body; answers its id, or 400 with the reason. */
    @PostMapping(value = "/console/env/{env}/import", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, Object>> start(
            @PathVariable String env,
            @RequestParam String mode,
            @RequestParam(defaultValue = "") String dataSource,
            @RequestParam(defaultValue = "upload.csv") String fileName,
            Authentication auth,
            HttpServletRequest request)
            throws IOException {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        try {
            ImportMode chosen = mode(mode);
            String source = chosen.setsValues() ? dataSource.strip() : "";
            if (chosen.setsValues()
                    && environments.configuration(env).dataSource(source).isEmpty()) {
                throw new InvalidInputException(
                        "dataSource", "data source '" + source + "' is not configured");
            }
            ImportJobs.Job job = jobs.start(
                    page.clientId(), env, chosen, source, fileName, request.getInputStream());
            return ResponseEntity.ok(job.view());
        } catch (InvalidInputException e) {
            return ResponseEntity.badRequest().body(Map.of("message", e.getMessage()));
        }
    }

    /** Only the two modes whose API the console's caller could also use directly. */
    private static ImportMode mode(String mode) {
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "change" -> ImportMode.CHANGE;
            case "set" -> ImportMode.SET;
            default -> throw new InvalidInputException("mode", "must be change or set");
        };
    }

    @GetMapping(
            value = "/console/env/{env}/import/jobs/{id}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, Object>> job(
            @PathVariable String env, @PathVariable String id, Authentication auth) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        return jobs.find(page.clientId(), env, id)
                .map(job -> ResponseEntity.ok(job.view()))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @GetMapping("/console/env/{env}/import/jobs/{id}/rejects.csv")
    ResponseEntity<Resource> rejects(
            @PathVariable String env, @PathVariable String id, Authentication auth) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        return jobs.find(page.clientId(), env, id)
                .filter(ImportJobs.Job::finished)
                .<ResponseEntity<Resource>>map(job -> ResponseEntity.ok()
                        .contentType(new MediaType("text", "csv"))
                        .header(
                                HttpHeaders.CONTENT_DISPOSITION,
                                "attachment; filename=\"rejects-" + job.id() + ".csv\"")
                        .body(new FileSystemResource(job.rejectsFile())))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
