package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.allocation.AllocationService;
import io.ivs.core.allocation.Bucket;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.server.allocation.AllocationCounts;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;
import java.util.Map;

/**
 * Allocation (spec part B): the group tree of one product at one dimension set, with what is
 * allocated and consumed, read through {@link AllocationService} as the API's allocation query;
 * before a product is chosen, the records that hold allocation buckets, each linking to its tree.
 */
@Controller
class AllocationPageController extends ConsoleController {
    /** Records listed at most before a product is chosen. */
    static final int LISTED_MAX = 100;

    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final AllocationService allocations;
    private final AllocationCounts counts;

    AllocationPageController(
            ConsoleAccess access,
            EnvironmentService environments,
            AllocationService allocations,
            AllocationCounts counts) {
        this.access = access;
        this.environments = environments;
        this.allocations = allocations;
        this.counts = counts;
    }

    @GetMapping("/console/env/{env}/allocation")
    String allocation(
            @PathVariable String env,
            @RequestParam(required = false) @Nullable String organizationId,
            @RequestParam(required = false) @Nullable String productId,
            @RequestParam(required = false) @Nullable String dimensions,
            Authentication auth,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_READ);
        RuntimeConfiguration config = environments.configuration(env);
        model.addAttribute("page", page);
        model.addAttribute("nav", "allocation");
        model.addAttribute("enabled", config.allocation().enabled());
        model.addAttribute("levels", config.allocation().groups());
        model.addAttribute("organizationId", organizationId == null ? "" : organizationId);
        model.addAttribute("productId", productId == null ? "" : productId);
        model.addAttribute("dimensions", dimensions == null ? "" : dimensions);
        model.addAttribute(
                "allocated",
                organizationId == null
                        ? counts.records(env, OverviewController.COUNT_MAX, LISTED_MAX)
                        : List.of());
        model.addAttribute("listedMax", LISTED_MAX);
        if (organizationId != null && config.allocation().enabled()) {
            try {
                Map<String, String> dims = ConfigurationEditor.pairLines(
                        "dimensions", dimensions == null ? "" : dimensions);
                List<Bucket> buckets = allocations.query(
                        EnvironmentId.of(env),
                        organizationId,
                        productId == null ? "" : productId,
                        null,
                        dims,
                        Map.of());
                model.addAttribute(
                        "tree", AllocationTree.of(config.allocation().groups(), buckets));
            } catch (InvalidInputException e) {
                response.setStatus(400);
                model.addAttribute("error", e.getMessage());
            }
        }
        return "console/allocation";
    }
}
