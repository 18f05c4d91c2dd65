package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.server.environment.ConfigurationStore;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;
import io.ivs.server.web.ConfigurationRejectedException;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration pages (spec §3.10): the configuration as tables and formulas, forms that
 * change a draft, the review of the draft against the active version with the server's
 * validation, "Update configuration", and the version history. Every page and action needs
 * {@code config.admin}, checked here on the server for each request.
 */
@Controller
@RequestMapping("/console/env/{env}/configuration")
class ConfigurationPageController extends ConsoleController {
    private final ConsoleAccess access;
    private final ConfigurationDrafts drafts;
    private final EnvironmentService environments;

    ConfigurationPageController(
            ConsoleAccess access, ConfigurationDrafts drafts, EnvironmentService environments) {
        this.access = access;
        this.drafts = drafts;
        this.environments = environments;
    }

    @GetMapping
    String show(@PathVariable String env, Authentication auth, HttpSession session, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        List<String> problems = new ArrayList<>();
        RuntimeConfiguration config =
                ConfigurationDrafts.parsed(drafts.working(session, env), problems);
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute("draft", drafts.draft(session, env));
        model.addAttribute("activeVersion", drafts.activeVersion(env));
        model.addAttribute("problems", problems);
        model.addAttribute("config", config == null ? null : ConfigurationView.of(config));
        return "console/configuration";
    }

    @GetMapping("/datasources/{name}")
    String editDataSource(
            @PathVariable String env,
            @PathVariable String name,
            Authentication auth,
            HttpSession session,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        ConfigurationView view = workingView(session, env);
        ConfigurationView.DataSourceView ds = view.dataSources().stream()
                .filter(d -> d.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "dataSourceName", "no data source '" + name + "'"));
        return dataSourceForm(page, model, ds.name(), ds.form(), null);
    }

    @PostMapping("/datasources/{name}")
    String saveDataSource(
            @PathVariable String env,
            @PathVariable String name,
            ConfigurationEditor.DataSourceForm form,
            Authentication auth,
            HttpSession session,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        var document = drafts.workingCopy(session, env);
        try {
            ConfigurationEditor.updateDataSource(document, name, form);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return dataSourceForm(page, model, name, form, e.getMessage());
        }
        drafts.save(session, env, document);
        redirect.addFlashAttribute("notice", "Data source '" + name + "' changed in the draft.");
        return "redirect:" + page.base() + "/configuration";
    }

    private static String dataSourceForm(
            ConsolePage page,
            Model model,
            String name,
            ConfigurationEditor.DataSourceForm form,
            @Nullable String error) {
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute("name", name);
        model.addAttribute("form", form);
        model.addAttribute("error", error);
        return "console/datasource";
    }

    @PostMapping("/datasources")
    String addDataSource(
            @PathVariable String env,
            @RequestParam String dataSourceName,
            Authentication auth,
            HttpSession session,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        var document = drafts.workingCopy(session, env);
        ConfigurationEditor.addDataSource(document, dataSourceName);
        drafts.save(session, env, document);
        return "redirect:" + page.base() + "/configuration/datasources/" + dataSourceName.strip();
    }

    @PostMapping("/datasources/{name}/delete")
    String deleteDataSource(
            @PathVariable String env,
            @PathVariable String name,
            Authentication auth,
            HttpSession session,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        var document = drafts.workingCopy(session, env);
        ConfigurationEditor.removeDataSource(document, name);
        drafts.save(session, env, document);
        redirect.addFlashAttribute("notice", "Data source '" + name + "' removed in the draft.");
        return "redirect:" + page.base() + "/configuration";
    }

    @GetMapping("/settings")
    String editSettings(
            @PathVariable String env, Authentication auth, HttpSession session, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        return settingsForm(page, model, workingView(session, env).settingsForm(), null);
    }

    @PostMapping("/settings")
    String saveSettings(
            @PathVariable String env,
            ConfigurationEditor.SettingsForm form,
            Authentication auth,
            HttpSession session,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        var document = drafts.workingCopy(session, env);
        try {
            ConfigurationEditor.updateSettings(document, form);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return settingsForm(page, model, form, e.getMessage());
        }
        drafts.save(session, env, document);
        redirect.addFlashAttribute("notice", "Settings changed in the draft.");
        return "redirect:" + page.base() + "/configuration";
    }

    private static String settingsForm(
            ConsolePage page,
            Model model,
            ConfigurationEditor.SettingsForm form,
            @Nullable String error) {
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute("form", form);
        model.addAttribute("error", error);
        return "console/settings";
    }

    @GetMapping("/json")
    String editJson(
            @PathVariable String env, Authentication auth, HttpSession session, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        return jsonForm(
                page, model, ConfigurationDrafts.pretty(drafts.working(session, env)), null);
    }

    @PostMapping("/json")
    String saveJson(
            @PathVariable String env,
            @RequestParam String document,
            Authentication auth,
            HttpSession session,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        try {
            drafts.save(
                    session, env, ConfigurationEditor.copy(ConfigurationDrafts.parse(document)));
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return jsonForm(page, model, document, e.getMessage());
        }
        redirect.addFlashAttribute("notice", "The JSON document is the draft now.");
        return "redirect:" + page.base() + "/configuration/review";
    }

    private static String jsonForm(
            ConsolePage page, Model model, String document, @Nullable String error) {
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute("document", document);
        model.addAttribute("error", error);
        return "console/json";
    }

    /** The draft against the active version, and what validation says about the draft. */
    @GetMapping("/review")
    String review(@PathVariable String env, Authentication auth, HttpSession session, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        ConfigurationDrafts.Draft draft = drafts.draft(session, env);
        int active = drafts.activeVersion(env);
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute("draft", draft);
        model.addAttribute("activeVersion", active);
        if (draft != null) {
            model.addAttribute(
                    "diff",
                    LineDiff.of(
                            ConfigurationDrafts.pretty(environments.document(env)),
                            ConfigurationDrafts.pretty(draft.document())));
            model.addAttribute("problems", ConfigurationDrafts.problems(draft.document()));
            model.addAttribute("stale", draft.baseVersion() != active);
        }
        return "console/review";
    }

    @PostMapping("/apply")
    String apply(
            @PathVariable String env,
            Authentication auth,
            HttpSession session,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        ConfigurationDrafts.Draft draft = drafts.draft(session, env);
        String review = "redirect:" + page.base() + "/configuration/review";
        if (draft == null) {
            redirect.addFlashAttribute("notice", "There is no draft to apply.");
            return review;
        }
        int active = drafts.activeVersion(env);
        if (draft.baseVersion() != active) {
            drafts.rebase(session, env);
            redirect.addFlashAttribute(
                    "failure",
                    "Version " + active + " became active after this draft was started from"
                            + " version " + draft.baseVersion() + ". Check the difference below"
                            + " again; it is now against version " + active + ".");
            return review;
        }
        try {
            int version =
                    environments.hardUpdate(env, draft.document().getBytes(StandardCharsets.UTF_8));
            drafts.discard(session, env);
            redirect.addFlashAttribute(
                    "notice", "Configuration version " + version + " is active.");
            return "redirect:" + page.base() + "/configuration";
        } catch (ConfigurationRejectedException e) {
            redirect.addFlashAttribute(
                    "failure", "Not applied: " + String.join("; ", e.problems()));
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("failure", "Not applied: " + e.getMessage());
        }
        return review;
    }

    @PostMapping("/discard")
    String discard(
            @PathVariable String env,
            Authentication auth,
            HttpSession session,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        drafts.discard(session, env);
        redirect.addFlashAttribute("notice", "The draft was discarded.");
        return "redirect:" + page.base() + "/configuration";
    }

    @GetMapping("/history")
    String history(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute(
                "versions", environments.made(env, ConfigurationDrafts.HISTORY_SHOWN_MAX));
        return "console/history";
    }

    /** One version's document and its difference to the version before it. */
    @GetMapping("/history/{version}")
    String version(
            @PathVariable String env, @PathVariable int version, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        List<ConfigurationStore.Version> versions =
                environments.history(env, ConfigurationDrafts.HISTORY_SHOWN_MAX);
        ConfigurationStore.Version shown = versions.stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "version",
                        "no version " + version + " among the latest "
                                + ConfigurationDrafts.HISTORY_SHOWN_MAX));
        String after = ConfigurationDrafts.pretty(shown.document());
        String before = versions.stream()
                .filter(v -> v.version() < version)
                .findFirst()
                .map(v -> ConfigurationDrafts.pretty(v.document()))
                .orElse("");
        model.addAttribute("page", page);
        model.addAttribute("nav", "configuration");
        model.addAttribute("version", version);
        model.addAttribute("document", after);
        model.addAttribute("diff", LineDiff.of(before, after));
        return "console/version";
    }

    private ConfigurationView workingView(HttpSession session, String env) {
        List<String> problems = new ArrayList<>();
        RuntimeConfiguration config =
                ConfigurationDrafts.parsed(drafts.working(session, env), problems);
        if (config == null) {
            throw new InvalidInputException(
                    "configuration",
                    "the draft cannot be read (" + String.join("; ", problems)
                            + "); fix it in the JSON editor or discard it");
        }
        return ConfigurationView.of(config);
    }
}
