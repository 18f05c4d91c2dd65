package io.ivs.server.console;

import io.ivs.server.security.Role;
import io.ivs.server.sync.SyncService;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Integrations: how each data source is fed. For every configured data source, whether only the
 * ERP writes it, its last full sync, the sync open now and the last push, as {@code GET
 * …/sync} answers them. Needs {@code inventory.read}, {@code config.admin} or
 * {@code inventory.erp}.
 */
@Controller
class IntegrationsPageController extends ConsoleController {
    private final ConsoleAccess access;
    private final SyncService syncs;

    IntegrationsPageController(ConsoleAccess access, SyncService syncs) {
        this.access = access;
        this.syncs = syncs;
    }

    @GetMapping("/console/env/{env}/integrations")
    String page(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page =
                access.page(auth, env, Role.INVENTORY_READ, Role.CONFIG_ADMIN, Role.INVENTORY_ERP);
        model.addAttribute("page", page);
        model.addAttribute("nav", "integrations");
        model.addAttribute("sources", syncs.statuses(env));
        return "console/integrations";
    }
}
