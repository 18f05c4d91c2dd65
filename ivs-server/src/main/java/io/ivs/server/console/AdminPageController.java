package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.ClientRecord;
import io.ivs.server.security.ClientService;
import io.ivs.server.security.NewClient;
import io.ivs.server.security.Role;
import io.ivs.server.security.SigningKeys;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;

/**
 * Administration of the service, for a {@code config.admin} client granted every environment
 * (the rule of the admin API's {@code /admin/clients} and {@code /admin/keys}): API clients
 * (create, with the secret shown once; revoke), signing keys (list, rotate) and environments
 * (list, create). Every action goes through the service behind the admin API's route.
 */
@Controller
class AdminPageController extends ConsoleController {
    private final ConsoleAccess access;
    private final ClientService clients;
    private final SigningKeys keys;
    private final EnvironmentService environments;

    AdminPageController(
            ConsoleAccess access,
            ClientService clients,
            SigningKeys keys,
            EnvironmentService environments) {
        this.access = access;
        this.clients = clients;
        this.keys = keys;
        this.environments = environments;
    }

    @GetMapping("/console/env/{env}/admin")
    String show(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = administrator(auth, env);
        model.addAttribute("page", page);
        model.addAttribute("nav", "admin");
        model.addAttribute("clients", clients.list());
        model.addAttribute("keys", keys.verifying());
        model.addAttribute("allEnvironments", environments.environments());
        model.addAttribute(
                "roleNames", List.of(Role.values()).stream().map(Role::wireName).toList());
        return "console/admin";
    }

    @PostMapping("/console/env/{env}/admin/clients")
    String createClient(
            @PathVariable String env,
            @RequestParam(defaultValue = "") String clientId,
            @RequestParam(defaultValue = "") String environmentIds,
            @RequestParam(required = false) List<String> roles,
            @RequestParam(defaultValue = "") String description,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = administrator(auth, env);
        ClientService.Created created = clients.create(new NewClient(
                clientId.isBlank() ? null : clientId.strip(),
                ConfigurationEditor.list("environments", environmentIds),
                NewClient.roles(roles == null ? List.of() : roles),
                description.strip(),
                null));
        redirect.addFlashAttribute(
                "notice",
                "Client " + created.client().clientId() + " created. Its secret, shown only now: "
                        + created.secret());
        return "redirect:" + page.base() + "/admin";
    }

    @PostMapping("/console/env/{env}/admin/clients/{clientId}/revoke")
    String revoke(
            @PathVariable String env,
            @PathVariable String clientId,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = administrator(auth, env);
        if (clientId.equals(page.clientId())) {
            throw new InvalidInputException(
                    "clientId",
                    "you cannot revoke the client you are"
                            + " signed in with; sign in with another administrator");
        }
        clients.revoke(clientId);
        redirect.addFlashAttribute("notice", "Client " + clientId + " revoked.");
        return "redirect:" + page.base() + "/admin";
    }

    @PostMapping("/console/env/{env}/admin/keys/rotate")
    String rotate(@PathVariable String env, Authentication auth, RedirectAttributes redirect) {
        ConsolePage page = administrator(auth, env);
        String kid = keys.rotate().kid();
        redirect.addFlashAttribute(
                "notice", "Key " + kid + " signs from now on; older keys keep verifying.");
        return "redirect:" + page.base() + "/admin";
    }

    @PostMapping("/console/env/{env}/admin/environments")
    String createEnvironment(
            @PathVariable String env,
            @RequestParam String environmentId,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = administrator(auth, env);
        boolean created = environments.create(environmentId.strip());
        redirect.addFlashAttribute(
                "notice",
                "Environment " + environmentId.strip()
                        + (created
                                ? " created with the default configuration."
                                : " exists already."));
        return "redirect:" + page.base() + "/admin";
    }

    /** {@code config.admin} of a client granted every environment, as the admin API asks. */
    private ConsolePage administrator(Authentication auth, String env) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN);
        ClientRecord client = page.client();
        if (!client.allEnvironments()) {
            throw new ConsoleAccess.ForbiddenException("administration needs config.admin of a"
                    + " client granted every environment; client '" + client.clientId()
                    + "' is granted " + client.environments());
        }
        return page;
    }
}
