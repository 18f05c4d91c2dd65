package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.atp.AtpRow;
import io.ivs.core.atp.AtpService;
import io.ivs.core.config.IndexSet;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.dimension.BaseDimension;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.util.ArrayList;
import java.util.List;

/**
 * Available-to-promise (spec part A): per result group and day, the projected on-hand and the
 * ATP of each ATP measure, as a chart with the numbers in a table beside it. The query is the
 * API's ATP query ({@link AtpService}); the group-by must match an ATP index set, and the form
 * starts with the first one.
 */
@Controller
class AtpPageController extends ConsoleController {
    static final int CHARTS_MAX = 20;

    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final AtpService atp;

    AtpPageController(ConsoleAccess access, EnvironmentService environments, AtpService atp) {
        this.access = access;
        this.environments = environments;
        this.atp = atp;
    }

    @GetMapping("/console/env/{env}/atp")
    String atp(
            @PathVariable String env,
            OnHandForm form,
            Authentication auth,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        RuntimeConfiguration config = environments.configuration(env);
        model.addAttribute("page", page);
        model.addAttribute("nav", "atp");
        model.addAttribute("enabled", config.schedule().enabled());
        model.addAttribute("today", atp.today().toString());
        model.addAttribute("form", form.submitted() ? form : initial(config));
        if (form.submitted() && config.schedule().enabled()) {
            try {
                List<AtpRow> rows = atp.query(EnvironmentId.of(env), form.request(), 1, null, null);
                List<AtpChart> charts = new ArrayList<>();
                for (AtpRow row : rows.subList(0, Math.min(rows.size(), CHARTS_MAX))) {
                    charts.add(AtpChart.of(config, row));
                }
                model.addAttribute("charts", charts);
                model.addAttribute("more", Math.max(0, rows.size() - CHARTS_MAX));
            } catch (InvalidInputException e) {
                response.setStatus(400);
                model.addAttribute("error", e.getMessage());
            }
        }
        return "console/atp";
    }

    /** An empty form grouped by site, location and the first ATP index set. */
    private static OnHandForm initial(RuntimeConfiguration config) {
        List<String> groupBy = new ArrayList<>(List.of("siteId", "locationId"));
        List<IndexSet> sets = config.schedule().indexSets();
        if (!sets.isEmpty()) {
            for (String key : sets.get(0).keys()) {
                if (!key.equals(BaseDimension.EMPTY) && !BaseDimension.isPartition(key)) {
                    groupBy.add(BaseDimension.canonical(key));
                }
            }
        }
        return new OnHandForm(null, null, null, null, null, String.join(", ", groupBy), null, true);
    }
}
