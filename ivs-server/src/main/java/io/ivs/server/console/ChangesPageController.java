package io.ivs.server.console;

import io.ivs.server.feed.ChangeFeed;
import io.ivs.server.feed.ChangeStream;
import io.ivs.server.reservation.HoldReleases;
import io.ivs.server.security.Role;
import io.ivs.server.web.Json;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Live changes: the environment's last changes from the change feed, then every new one as it
 * commits, through a Server-Sent-Events stream under {@code /console} (where the session cookie
 * is sent). Needs {@code inventory.read} or {@code config.admin}. Changes written by the release
 * of a lapsed hold are marked as such in the list the page opens with.
 */
@Controller
class ChangesPageController extends ConsoleController {
    static final int SHOWN = 50;

    private final ConsoleAccess access;
    private final ChangeFeed feed;
    private final HoldReleases holdReleases;
    private final Duration streamMax;

    ChangesPageController(
            ConsoleAccess access,
            ChangeFeed feed,
            HoldReleases holdReleases,
            @Value("${ivs.feed.stream-max:PT1H}") Duration streamMax) {
        this.access = access;
        this.feed = feed;
        this.holdReleases = holdReleases;
        this.streamMax = streamMax;
    }

    @GetMapping("/console/env/{env}/changes")
    String page(@PathVariable String env, Authentication auth, Model model) {
        ConsolePage page = access.page(auth, env, Role.CONFIG_ADMIN, Role.INVENTORY_READ);
        ChangeFeed.Page latest = feed.latest(env, SHOWN);
        model.addAttribute("page", page);
        model.addAttribute("nav", "changes");
        model.addAttribute("changes", latest.changes().reversed());
        model.addAttribute("cursor", latest.next());
        model.addAttribute("shown", SHOWN);
        List<ChangeFeed.Change> changes = latest.changes();
        model.addAttribute(
                "holdReleases",
                changes.isEmpty()
                        ? Map.of()
                        : holdReleases.between(
                                env,
                                changes.getFirst().position(),
                                changes.getLast().position()));
        return "console/changes";
    }

    @GetMapping(
            value = "/console/env/{env}/changes/stream",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter stream(@PathVariable String env, @RequestParam String after, Authentication auth) {
        access.page(auth, env, Role.CONFIG_ADMIN, Role.INVENTORY_READ);
        return ChangeStream.open(feed, Json.mapper(), env, feed.cursor("after", after), streamMax);
    }
}
