package io.ivs.server.sync;

import io.ivs.core.onhand.WriteAccess;
import io.ivs.server.security.WriteAccesses;
import io.ivs.server.web.JsonAnswers;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full syncs (an IVS extension): begin, send batches of set on-hand records, complete or abort,
 * and the status of every data source's feed. Errors answer IV's failure envelope, like every
 * endpoint under {@code /api}; a 409 also names the sync it is about ({@code syncId}).
 */
@RestController
public class SyncController {
    private static final String BASE = "/api/environment/{environmentId}/sync";

    private final SyncService syncs;

    SyncController(SyncService syncs) {
        this.syncs = syncs;
    }

    @PostMapping(BASE + "/{dataSource}")
    Map<String, Object> begin(
            @PathVariable String environmentId,
            @PathVariable String dataSource,
            @RequestBody(required = false) byte @Nullable [] body,
            @Nullable Authentication caller) {
        int timeoutSeconds = BeginBodies.timeoutSeconds(body);
        return view(syncs.begin(environmentId, dataSource, timeoutSeconds, access(caller)));
    }

    @PostMapping(BASE + "/{dataSource}/{syncId}/records")
    void records(
            @PathVariable String environmentId,
            @PathVariable String dataSource,
            @PathVariable String syncId,
            @RequestBody(required = false) byte @Nullable [] body,
            @Nullable Authentication caller,
            HttpServletResponse response)
            throws IOException {
        JsonAnswers.write(
                response,
                200,
                syncs.records(environmentId, dataSource, syncId, body, access(caller)));
    }

    @PostMapping(BASE + "/{dataSource}/{syncId}/complete")
    Map<String, Object> complete(
            @PathVariable String environmentId,
            @PathVariable String dataSource,
            @PathVariable String syncId,
            @Nullable Authentication caller) {
        return view(syncs.complete(environmentId, dataSource, syncId, access(caller)));
    }

    @DeleteMapping(BASE + "/{dataSource}/{syncId}")
    Map<String, Object> abort(
            @PathVariable String environmentId,
            @PathVariable String dataSource,
            @PathVariable String syncId,
            @Nullable Authentication caller) {
        return view(syncs.abort(environmentId, dataSource, syncId, access(caller)));
    }

    @GetMapping(BASE + "/{dataSource}")
    Map<String, Object> status(
            @PathVariable String environmentId, @PathVariable String dataSource) {
        return view(syncs.status(environmentId, dataSource));
    }

    @GetMapping(BASE)
    List<Map<String, Object>> statuses(@PathVariable String environmentId) {
        return syncs.statuses(environmentId).stream().map(SyncController::view).toList();
    }

    @ExceptionHandler(SyncRefusedException.class)
    ResponseEntity<Map<String, Object>> refused(SyncRefusedException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", null);
        body.put("processingStatus", "failure");
        body.put("message", e.getMessage());
        body.put("statusCode", e.status());
        if (e.syncId() != null) {
            body.put("syncId", e.syncId());
        }
        return ResponseEntity.status(e.status()).body(body);
    }

    private static WriteAccess access(@Nullable Authentication caller) {
        return WriteAccesses.of(caller);
    }

    /** A sync as the API answers it. */
    static Map<String, Object> view(FullSync sync) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("syncId", sync.syncId());
        view.put("dataSource", sync.dataSource());
        view.put("status", sync.status().wireName());
        view.put("startedAt", sync.startedAt().toString());
        view.put("timeoutSeconds", sync.timeoutSeconds());
        if (sync.status() == FullSync.Status.OPEN) {
            view.put("expiresAt", sync.expiresAt().toString());
        }
        if (sync.finishedAt() != null) {
            view.put("finishedAt", sync.finishedAt().toString());
        }
        if (sync.status() == FullSync.Status.COMPLETED) {
            view.put("completedAt", String.valueOf(sync.finishedAt()));
            view.put("records", sync.records());
            view.put("zeroed", sync.zeroed());
        }
        return view;
    }

    static Map<String, Object> view(SyncService.SourceStatus status) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("dataSource", status.dataSource());
        view.put("erpOwned", status.erpOwned());
        view.put(
                "lastFullSync", status.lastFullSync() == null ? null : view(status.lastFullSync()));
        view.put("openSync", status.openSync() == null ? null : view(status.openSync()));
        view.put(
                "lastPushAt",
                status.lastPushAt() == null ? null : status.lastPushAt().toString());
        return view;
    }
}
