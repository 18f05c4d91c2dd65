package io.ivs.server.console;

import io.ivs.server.security.ClientRecord;
import io.ivs.server.security.Role;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;
import java.util.Set;

/** Sign-in page and the choice of environment. */
@Controller
class HomeController extends ConsoleController {
    private static final Set<String> SECTIONS = Set.of(
            "overview",
            "onhand",
            "reservations",
            "atp",
            "allocation",
            "configuration",
            "write",
            "webhooks");

    private final ConsoleAccess access;

    HomeController(ConsoleAccess access) {
        this.access = access;
    }

    @GetMapping(ConsoleSecurityConfiguration.LOGIN_PAGE)
    String login() {
        return "console/login";
    }

    /** The environments the client may open; with exactly one, it opens at once. */
    @GetMapping("/console")
    String environments(Authentication authentication, Model model) {
        ClientRecord client = access.client(authentication);
        List<String> environments = access.environments(client);
        if (environments.size() == 1) {
            return "redirect:" + start(client, environments.get(0));
        }
        model.addAttribute("clientId", client.clientId());
        model.addAttribute("environments", environments);
        model.addAttribute(
                "roles", client.roles().stream().map(Role::wireName).sorted().toList());
        return "console/environments";
    }

    /** Opens an environment, at the same section when one is given. */
    @GetMapping("/console/open")
    String open(
            @RequestParam String env,
            @RequestParam(required = false) @Nullable String section,
            Authentication authentication) {
        ConsolePage page = access.page(authentication, env);
        if (section != null && SECTIONS.contains(section)) {
            return "redirect:" + page.base() + "/" + section;
        }
        return "redirect:" + start(page.client(), env);
    }

    /** The first page of an environment that the client's roles allow. */
    static String start(ClientRecord client, String environmentId) {
        String base = "/console/env/" + environmentId;
        if (client.roles().contains(Role.INVENTORY_READ)
                || client.roles().contains(Role.CONFIG_ADMIN)) {
            return base + "/overview";
        }
        return base + "/reservations";
    }
}
