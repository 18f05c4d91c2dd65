package io.ivs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.imports.ImportMode;
import io.ivs.core.imports.OnHandRow;
import io.ivs.core.imports.ProductRow;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The requests of each mode (paths and bodies) and the reading of their answers, without a
 * server: the sync and product catalogue endpoints are tested here against their contracts.
 */
class ImportTargetTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OnHandRow ROW = new OnHandRow(
            2,
            "imp-1-2",
            "usmf",
            "P 1",
            Map.of("siteId", "1"),
            Map.of("fno", Map.of("availphysical", new BigDecimal("12.5"))));

    @Test
    void sync_recordsGoUnderTheSyncId_asSetOnHandItems() {
        ImportTarget target = new ImportTarget(ImportMode.SYNC, "prod env", "fno");
        target.syncId(ImportTarget.syncIdOf("{\"syncId\":\"s-42\"}"));

        JsonNode body = JSON.readTree(target.body(List.of(ROW)));

        assertThat(target.syncPath()).isEqualTo("/api/environment/prod%20env/sync/fno");
        assertThat(target.batchPath())
                .isEqualTo("/api/environment/prod%20env/sync/fno/s-42/records");
        assertThat(body.toString())
                .isEqualTo("[{\"id\":\"imp-1-2\",\"organizationId\":\"usmf\",\"productId\":\"P 1\","
                        + "\"dimensions\":{\"siteId\":\"1\"},"
                        + "\"quantities\":{\"fno\":{\"availphysical\":12.5}}}]");
        assertThatThrownBy(() -> ImportTarget.syncIdOf("{}")).isInstanceOf(CliFailure.class);
    }

    @Test
    void paths_ofChangeSetAndProducts() {
        assertThat(new ImportTarget(ImportMode.CHANGE, "e", null).batchPath())
                .isEqualTo("/api/environment/e/onhand/bulk");
        assertThat(new ImportTarget(ImportMode.SET, "e", "pos").batchPath())
                .isEqualTo("/api/environment/e/setonhand/pos/bulk");
        assertThat(new ImportTarget(ImportMode.PRODUCTS, "e", null).batchPath())
                .isEqualTo("/api/environment/e/products/bulk");
    }

    @Test
    void products_bodyHasTheCatalogueShape() {
        ProductRow row = new ProductRow(
                2,
                "usmf",
                "I-1",
                Map.of("organizationId", "usmf", "itemNumber", "I-1", "productName", "Shirt"),
                List.of(new ProductRow.Attribute(
                        "DimensionAttribute", "Color", "ColorId", List.of("red", "blue"))));

        JsonNode item = JSON.readTree(
                        new ImportTarget(ImportMode.PRODUCTS, "e", null).body(List.of(row)))
                .get(0);

        assertThat(item.path("itemNumber").asString()).isEqualTo("I-1");
        assertThat(item.path("productName").asString()).isEqualTo("Shirt");
        assertThat(item.path("attributes").get(0).toString())
                .isEqualTo("{\"attributeTypeName\":\"Color\",\"attributeName\":\"ColorId\","
                        + "\"attributeArea\":\"DimensionAttribute\","
                        + "\"attributeValues\":[\"red\",\"blue\"]}");
    }

    @Test
    void outcomes_envelopesPerItem_orTheWholeBatchForOtherAnswers() {
        String envelopes = "[{\"id\":\"a\",\"statusCode\":200},"
                + "{\"id\":\"b\",\"statusCode\":400,\"message\":\"productId: is required\"}]";

        assertThat(ImportTarget.outcomes(envelopes, 2))
                .extracting(ImportTarget.Outcome::refusal)
                .containsExactly(null, "400 productId: is required");
        assertThat(ImportTarget.outcomes("{\"accepted\":2}", 2))
                .containsExactly(ImportTarget.Outcome.OK, ImportTarget.Outcome.OK);
        assertThat(ImportTarget.outcomes("", 1)).containsExactly(ImportTarget.Outcome.OK);
    }

    @Test
    void pipeline_keepsEachProductsOrder_andTheWatermarkWaitsForTheOldestBatch() {
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        try (ImportPipeline<String> pipeline = new ImportPipeline<>(
                4,
                3,
                item -> item.substring(0, item.indexOf('#')),
                items -> {
                    sent.addAll(items);
                    return items.stream()
                            .map(i -> i.endsWith("#13")
                                    ? new ImportTarget.Outcome("400 no")
                                    : ImportTarget.Outcome.OK)
                            .toList();
                },
                (line, text, reason) -> refused.add(line + " " + text + " " + reason),
                0)) {
            for (int line = 1; line <= 100; line++) {
                pipeline.accept(line, "p" + line % 5 + "#" + line, "text" + line);
            }
            assertThat(pipeline.watermark()).isLessThan(100);
            pipeline.finish();
            assertThat(pipeline.watermark()).isEqualTo(100);
            assertThat(pipeline.accepted()).isEqualTo(99);
        }
        for (int p = 0; p < 5; p++) {
            String product = "p" + p + "#";
            List<Integer> lines = sent.stream()
                    .filter(s -> s.startsWith(product))
                    .map(s -> Integer.parseInt(s.substring(product.length())))
                    .toList();
            assertThat(lines).hasSize(20).isSorted();
        }
        assertThat(refused).containsExactly("13 text13 refused by the server: 400 no");
    }
}
