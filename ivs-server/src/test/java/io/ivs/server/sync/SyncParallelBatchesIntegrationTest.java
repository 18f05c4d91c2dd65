package io.ivs.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.server.support.IvsClient;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Regression (2026-12-07): a full sync fed by four parallel streams, as {@code bin/ivs import}
 * sends one, lost batches with 409: each batch read the sync row {@code for share} and then
 * updated it, so two batches deadlocked on it, again after every retry. Batches of one sync now
 * take the row in the mode of their update, one after the other.
 */
class SyncParallelBatchesIntegrationTest extends SyncTestSupport {
    static final int STREAMS = 4;
    static final int BATCHES_PER_STREAM = 10;
    static final int BATCH = 200;

    @Test
    void records_fromParallelStreams_allGoInAndTheCompletionCountsThem() throws Exception {
        IvsClient erp = erp();
        String syncId = begin(erp, "fno", "");
        List<Future<List<Integer>>> streams = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(STREAMS)) {
            for (int s = 0; s < STREAMS; s++) {
                int stream = s;
                streams.add(pool.submit(() -> send(erp, syncId, stream)));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<List<Integer>> stream : streams) {
            statuses.addAll(stream.get());
        }

        assertThat(statuses).hasSize(STREAMS * BATCHES_PER_STREAM).containsOnly(200);
        IvsClient.Response done = complete(erp, "fno", syncId);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("records").asLong())
                .isEqualTo((long) STREAMS * BATCHES_PER_STREAM * BATCH);
        assertThat(physical("PAR-3-9-199")).isEqualTo("3");
    }

    /** One stream's batches, each of {@link #BATCH} products of its own; answers the statuses. */
    private List<Integer> send(IvsClient erp, String syncId, int stream) {
        List<Integer> statuses = new ArrayList<>();
        for (int b = 0; b < BATCHES_PER_STREAM; b++) {
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String product = "PAR-" + stream + "-" + b + "-" + i;
                records.add(fno("par-" + product, product, stream));
            }
            IvsClient.Response response = send(erp, "fno", syncId, records);
            statuses.add(response.status());
            if (response.status() == 200) {
                for (JsonNode item : response.json()) {
                    assertThat(item.path("statusCode").asInt())
                            .as(response.body())
                            .isEqualTo(200);
                }
            }
        }
        return statuses;
    }
}
