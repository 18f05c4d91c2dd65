package io.ivs.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class NameUuidsTest {
    /** Product keys and reservation ids are stored: they must never differ from the JDK's. */
    @Test
    void of_isTheJdksNameBasedUuid_forAnyName() {
        List<String> names = new ArrayList<>(List.of(
                "", "bench\u0000usmf\u0000P-1", "é\u0000日本\u0000\uD83D\uDCE6", "x".repeat(10_000)));
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(80);
            for (int c = 0; c < length; c++) {
                name.appendCodePoint(
                        random.nextInt(4) == 0
                                ? 0x80 + random.nextInt(0x3000)
                                : ' ' + random.nextInt(95));
            }
            names.add(name.toString());
        }

        for (String name : names) {
            assertThat(NameUuids.of(name))
                    .as(name)
                    .isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void of_fromManyThreadsAtOnce_givesEachNameItsOwnUuid() throws Exception {
        // Each call copies the shared prototype digest: calls on other threads must not mix.
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 5_000; i++) {
                        String name = "t" + thread + "\u0000" + i;
                        assertThat(NameUuids.of(name))
                                .isEqualTo(UUID.nameUUIDFromBytes(
                                        name.getBytes(StandardCharsets.UTF_8)));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> future : done) {
                assertThat(future.get()).isEqualTo(5_000);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
