package io.ivs.server.console;

import io.ivs.server.ingest.IngestMonitor;
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
 * …/sync} answers them; and Kafka ingestion as this instance sees it (topics, lag, messages
 * applied and dead-lettered, the latest dead letters for the environment) with the
 * environment's Kafka syncs. Needs {@code inventory.read}, {@code config.admin} or {@code
 * inventory.erp}.
 */
@Controller
class IntegrationsPageController extends ConsoleController {
    /** Kafka syncs shown: the open ones, then the latest begun. */
    static final int KAFKA_SYNCS_SHOWN = 20;

    private final ConsoleAccess access;
    private final SyncService syncs;
    private final IngestMonitor ingestion;

    IntegrationsPageController(ConsoleAccess access, SyncService syncs, IngestMonitor ingestion) {
        this.access = access;
        this.syncs = syncs;
        this.ingestion = ingestion;
    }

    @GetMapping("/console/env/{env}/integrations")
    String page(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page =
                access.page(auth, env, Role.INVENTORY_READ, Role.CONFIG_ADMIN, Role.INVENTORY_ERP);
        model.addAttribute("page", page);
        model.addAttribute("nav", "integrations");
        model.addAttribute("sources", syncs.statuses(env));
        model.addAttribute("kafka", ingestion.view(env));
        model.addAttribute("kafkaSyncs", syncs.kafkaSyncs(env, KAFKA_SYNCS_SHOWN));
        return "console/integrations";
    }
}
