package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.core.Rejection;
import io.ivs.core.allocation.AllocationCommand;
import io.ivs.core.allocation.AllocationResult;
import io.ivs.core.allocation.AllocationService;
import io.ivs.core.atp.AtpService;
import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.ItemResult;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.reservation.ReservationResult;
import io.ivs.core.reservation.ReservationService;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.security.Role;
import io.ivs.server.web.ItemCounters;
import io.ivs.server.web.ItemCounters.Operation;
import io.ivs.server.web.RejectionStatus;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;
import java.util.UUID;

/**
 * Write pages: on-hand changes and stock counts, reserve and unreserve, the four allocation
 * writes and change schedules, each through the same core service as its API route, with the
 * API's validation and messages. Every form carries an event id generated when it is shown; the
 * answer page keeps the form as sent, so sending it again (a double submit, a retry after a lost
 * answer) sends the same event id and the core counts the write once. Needs
 * {@code inventory.write}.
 */
@Controller
class WritePageController extends ConsoleController {
    /** What a write answered, as the API's envelope says it. */
    record Answer(
            boolean success,
            int statusCode,
            String message,
            @Nullable String reservationId) {}

    private final ConsoleAccess access;
    private final EnvironmentService environments;
    private final OnHandService onHand;
    private final ReservationService reservations;
    private final AllocationService allocations;
    private final AtpService atp;
    private final ItemCounters counters;

    WritePageController(
            ConsoleAccess access,
            EnvironmentService environments,
            OnHandService onHand,
            ReservationService reservations,
            AllocationService allocations,
            AtpService atp,
            ItemCounters counters) {
        this.access = access;
        this.environments = environments;
        this.onHand = onHand;
        this.reservations = reservations;
        this.allocations = allocations;
        this.atp = atp;
        this.counters = counters;
    }

    @GetMapping("/console/env/{env}/write")
    String form(
            @PathVariable String env,
            @RequestParam(defaultValue = "onhand") String kind,
            Authentication auth,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        return page(model, page, WriteForm.Kind.of(kind), WriteForm.fresh(newEventId()));
    }

    @PostMapping("/console/env/{env}/write/{kind}")
    String write(
            @PathVariable String env,
            @PathVariable String kind,
            WriteForm form,
            Authentication auth,
            HttpServletResponse response,
            Model model) {
        ConsolePage page = access.page(auth, env, Role.INVENTORY_WRITE);
        WriteForm.Kind writeKind = WriteForm.Kind.of(kind);
        Answer answer;
        try {
            answer = apply(EnvironmentId.of(env), writeKind, form);
        } catch (InvalidInputException e) {
            answer = new Answer(false, 400, e.getMessage(), null);
        }
        response.setStatus(answer.statusCode());
        model.addAttribute("answer", answer);
        return page(model, page, writeKind, form);
    }

    private String page(Model model, ConsolePage page, WriteForm.Kind kind, WriteForm form) {
        model.addAttribute("page", page);
        model.addAttribute("nav", "write");
        model.addAttribute("kind", kind);
        model.addAttribute("kinds", WriteForm.Kind.values());
        model.addAttribute("form", form);
        model.addAttribute("newEventId", newEventId());
        model.addAttribute(
                "dataSources",
                environments.configuration(page.environmentId()).dataSources().values().stream()
                        .map(source -> source.name())
                        .sorted()
                        .toList());
        return "console/write";
    }

    private Answer apply(EnvironmentId env, WriteForm.Kind kind, WriteForm form) {
        return switch (kind) {
            case ONHAND ->
                item(counters.onHand(
                        Operation.ONHAND, onHand.write(env, List.of(form.onHandChange()), null)));
            case SETONHAND -> setOnHand(env, form);
            case RESERVE ->
                reservation(counters.reservations(
                        Operation.RESERVE,
                        reservations.reserve(env, List.of(form.reserveCommand()))));
            case UNRESERVE ->
                reservation(counters.reservations(
                        Operation.UNRESERVE,
                        reservations.unreserve(env, List.of(form.unreserveCommand()))));
            case ALLOCATE -> allocation(env, form, AllocationCommand.Operation.ALLOCATE);
            case REALLOCATE -> allocation(env, form, AllocationCommand.Operation.REALLOCATE);
            case UNALLOCATE -> allocation(env, form, AllocationCommand.Operation.UNALLOCATE);
            case CONSUME -> allocation(env, form, AllocationCommand.Operation.CONSUME);
            case SCHEDULE -> item(atp.schedule(env, List.of(form.scheduleCommand())));
        };
    }

    private Answer setOnHand(EnvironmentId env, WriteForm form) {
        String system = form.inventorySystemRequired();
        if (environments.configuration(env.value()).dataSource(system).isEmpty()) {
            throw new InvalidInputException(
                    "inventorySystem", "data source '" + system + "' is not configured");
        }
        return item(counters.onHand(
                Operation.SET_ONHAND, onHand.write(env, List.of(form.onHandChange()), system)));
    }

    private Answer allocation(
            EnvironmentId env, WriteForm form, AllocationCommand.Operation operation) {
        return switch (allocations.write(env, form.allocationCommand(operation))) {
            case AllocationResult.Done done ->
                new Answer(true, 200, "applied", done.reservationId());
            case AllocationResult.Rejected rejected ->
                new Answer(false, status(rejected.reason()), rejected.message(), null);
        };
    }

    private static Answer item(List<ItemResult> results) {
        return switch (results.get(0)) {
            case ItemResult.Accepted accepted -> new Answer(true, 200, accepted.message(), null);
            case ItemResult.Rejected rejected ->
                new Answer(false, status(rejected.reason()), rejected.message(), null);
        };
    }

    private static Answer reservation(List<ReservationResult> results) {
        return switch (results.get(0)) {
            case ReservationResult.Reserved r -> new Answer(true, 200, "", r.reservationId());
            case ReservationResult.Unreserved u ->
                new Answer(
                        true,
                        200,
                        "released " + u.released().stripTrailingZeros().toPlainString()
                                + (u.invalid().signum() > 0
                                        ? "; the offset exceeds the reserved quantity by "
                                                + u.invalid()
                                                        .stripTrailingZeros()
                                                        .toPlainString()
                                        : ""),
                        u.reservationId());
            case ReservationResult.Rejected r ->
                new Answer(false, status(r.reason()), r.message(), r.reservationId());
        };
    }

    /** The console answers a refusal with a 4xx (the API's IVS statuses, 409 when short). */
    private static int status(Rejection reason) {
        return RejectionStatus.of(reason, 409);
    }

    private static String newEventId() {
        return "console-" + UUID.randomUUID();
    }
}
