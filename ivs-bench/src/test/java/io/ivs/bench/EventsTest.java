package io.ivs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.core.onhand.ResolvedChange;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

class EventsTest {
    private static final Events.Space SPACE = new Events.Space(100, 2, 3, 4);

    @Test
    void randomBatch_sameBatchNumber_sameEventsWhateverTheStreamOrder() {
        List<Events.Event> first = Events.randomBatch("a", 7, 50, SPACE);
        Events.randomBatch("a", 8, 50, SPACE);
        List<Events.Event> again = Events.randomBatch("a", 7, 50, SPACE);
        assertThat(again).isEqualTo(first);
        assertThat(first).extracting(Events.Event::id).doesNotHaveDuplicates();
    }

    @Test
    void distinctRecords_newRecordPerEvent_tenPerProduct() {
        List<Events.Event> events = Events.distinctRecords("s", 0, 20, 10);
        assertThat(events)
                .extracting(e -> e.productId() + e.siteId() + e.locationId())
                .doesNotHaveDuplicates();
        assertThat(events.get(9).productId()).isEqualTo("P0");
        assertThat(events.get(10).productId()).isEqualTo("P1");
    }

    @Test
    void json_bulk_isAnArrayOfIvChangeEvents() {
        Events.Event e = new Events.Event("id-1", "P1", "S1", "L2", "C3", 5);
        String json = new String(Events.json(List.of(e, e)), StandardCharsets.UTF_8);
        assertThat(json)
                .startsWith("[{\"id\":\"id-1\",\"organizationId\":\"usmf\"")
                .contains("\"dimensions\":{\"siteId\":\"S1\",\"locationId\":\"L2\","
                        + "\"colorId\":\"C3\"}")
                .contains("\"quantities\":{\"pos\":{\"inbound\":5}}}")
                .endsWith("}]");
    }

    @Test
    void resolve_event_isTheRecordIvsStores() {
        ResolvedChange change =
                Events.resolve("bench", new Events.Event("id-1", "P1", "S1", "L2", "C3", 5));
        assertThat(change.record().dimensions().key())
                .isEqualTo("colorid=C3\u001flocationid=L2\u001fsiteid=S1");
        assertThat(change.partitionId()).isEqualTo("usmf~S1~L2");
        assertThat(change.quantities()).containsOnlyKeys(Events.INBOUND);
    }

    @Test
    void bytesCount_nonOverlapping() {
        assertThat(Bytes.count("aaaa".getBytes(), "aa".getBytes())).isEqualTo(2);
        assertThat(Bytes.count(
                        "{\"statusCode\":200},{\"statusCode\":400}".getBytes(),
                        "\"statusCode\":200".getBytes()))
                .isEqualTo(1);
    }
}
