package io.ivs.server.console;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.reservation.HoldResult;
import io.ivs.core.reservation.ReservationService;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.core.reservation.Reversal;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What soft reservations hold, and reversing one: an unreserve of its whole remaining quantity
 * through {@link ReservationService}, as {@code POST …/onhand/unreserve} would do it. Listing
 * needs {@code config.admin} or {@code inventory.read}; reversing and confirming a hold need
 * {@code inventory.write}. A hold shows when it lapses.
 */
@Controller
class ReservationPageController extends ConsoleController {
    static final int LISTED_MAX = 200;

    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final ReservationStore store;
    private final ReservationService reservations;
    private final Clock clock;

    ReservationPageController(
            ConsoleAccess access,
            EnvironmentService environments,
            ReservationStore store,
            ReservationService reservations,
            Clock clock) {
        this.access = access;
        this.environments = environments;
        this.store = store;
        this.reservations = reservations;
        this.clock = clock;
    }

    @GetMapping("/console/env/{env}/reservations")
    String list(
            @PathVariable String env,
            @RequestParam Optional<String> organizationId,
            @RequestParam Optional<String> productId,
            @RequestParam Optional<String> reservationId,
            Authentication auth,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN, Role.INVENTORY_READ);
        List<ReservationStore.Holding> holdings = store.list(
                EnvironmentId.of(env),
                blankless(organizationId),
                blankless(productId),
                blankless(reservationId),
                LISTED_MAX);
        model.addAttribute("page", page);
        model.addAttribute("nav", "reservations");
        model.addAttribute("organizationId", organizationId.orElse(""));
        model.addAttribute("productId", productId.orElse(""));
        model.addAttribute("reservationId", reservationId.orElse(""));
        model.addAttribute("holdings", holdings);
        model.addAttribute("limit", LISTED_MAX);
        // Holds whose expiry has passed no longer count; the sweeper releases them shortly.
        model.addAttribute("now", clock.instant());
        model.addAttribute(
                "enabled", environments.configuration(env).reservation().enabled());
        return "console/reservations";
    }

    /** Releases what the reservation still holds on its record and measure. */
    @PostMapping("/console/env/{env}/reservations/reverse")
    String reverse(
            @PathVariable String env,
            @RequestParam String reservationId,
            @RequestParam String organizationId,
            @RequestParam String productId,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        String back = "redirect:" + page.base() + "/reservations";
        Reversal reversal = reservations.reverse(
                EnvironmentId.of(env),
                "console-" + UUID.randomUUID(),
                organizationId,
                productId,
                reservationId);
        switch (reversal) {
            case Reversal.Reversed done ->
                redirect.addFlashAttribute(
                        "notice",
                        "Reservation '" + reservationId + "' reversed: " + plain(done.released())
                                + " released.");
            case Reversal.NothingHeld nothing ->
                redirect.addFlashAttribute(
                        "notice", "Reservation '" + reservationId + "' holds nothing any more.");
            case Reversal.Refused refused ->
                redirect.addFlashAttribute("failure", "Not reversed: " + refused.message());
        }
        return back;
    }

    /** Confirms a hold: the reservation no longer expires. */
    @PostMapping("/console/env/{env}/reservations/confirm")
    String confirm(
            @PathVariable String env,
            @RequestParam String reservationId,
            Authentication auth,
            RedirectAttributes redirect) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        switch (reservations.confirm(EnvironmentId.of(env), reservationId)) {
            case HoldResult.Held held ->
                redirect.addFlashAttribute(
                        "notice", "Reservation '" + reservationId + "' no longer expires.");
            case HoldResult.Refused refused ->
                redirect.addFlashAttribute("failure", "Not confirmed: " + refused.message());
        }
        return "redirect:" + page.base() + "/reservations";
    }

    private static Optional<String> blankless(Optional<String> value) {
        return value.map(String::strip).filter(v -> !v.isEmpty());
    }

    private static String plain(@Nullable BigDecimal value) {
        return value == null ? "0" : value.stripTrailingZeros().toPlainString();
    }
}
