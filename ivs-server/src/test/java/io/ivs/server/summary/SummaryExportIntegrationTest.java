package io.ivs.server.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivs.parquet.ParquetFiles;
import io.ivs.server.support.IvsClient;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET …/summary/export}: CSV compared character by character, Parquet read back with
 * parquet-java's reader (no Hadoop on the class path) and compared value by value with the table.
 */
class SummaryExportIntegrationTest extends SummaryTestSupport {
    private static final int PRODUCTS = 100;
    private static final int COLORS = 50;

    /** Only data source pos: inbound, outbound, availquantity = inbound − outbound. */
    private void posOnly() {
        configure(document -> {
            ObjectNode systems = document.putObject("inventorySystemConfigurations");
            document.set("inventorySystemConfigurations", systems);
            ObjectNode pos = dataSource(document, "pos");
            ((ArrayNode) pos.get("physicalMeasures")).add("inbound").add("outbound");
            calculated(
                    pos, "availquantity", new String[] {"pos.inbound"}, new String[] {"pos.outbound"
                    });
        });
        enable(true, false, "periodic");
    }

    private record Download(int status, byte[] body, HttpResponse<byte[]> response) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Download download(String query) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + api("/summary/export" + query)))
                .header("Authorization", "Bearer " + client.adminToken(env))
                .build();
        HttpResponse<byte[]> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Download(response.statusCode(), response.body(), response);
    }

    private Map<String, Instant> updateTimes() {
        Map<String, Instant> times = new HashMap<>();
        jdbc.query(
                "select product_id || '/' || coalesce(colorid, ''), updated_at"
                        + " from inventory_summary where environment_id = ?",
                rs -> {
                    times.put(
                            rs.getString(1),
                            rs.getObject(2, java.time.OffsetDateTime.class).toInstant());
                },
                env);
        return times;
    }

    @Test
    void csv_smallSummary_isExactlyTheExpectedText() throws Exception {
        posOnly();
        change(event(
                "c1",
                "shirt",
                dims("siteId", "1", "locationId", "11", "colorId", "red, \"dark\""),
                "pos",
                "inbound",
                2.5,
                "outbound",
                4));
        change(event("c2", "hat", dims("siteId", "1", "locationId", "11"), "pos", "inbound", 1));
        refresher.refreshAll(env, false, () -> {});
        Map<String, Instant> times = updateTimes();

        Download csv = download("?format=csv");

        String noDimensions = ",".repeat(SummaryColumns.DIMENSIONS.size() - 3);
        String expected = "organization_id,product_id,siteid,locationid,colorid,sizeid,styleid,"
                + "configid,batchid,serialid,statusid,wmslocationid,wmspalletid,licenseplateid,"
                + "versionid,customdimension1,customdimension2,customdimension3,"
                + "customdimension4,customdimension5,customdimension6,customdimension7,"
                + "customdimension8,customdimension9,customdimension10,customdimension11,"
                + "customdimension12,extendeddimension1,extendeddimension2,extendeddimension3,"
                + "extendeddimension4,extendeddimension5,extendeddimension6,extendeddimension7,"
                + "extendeddimension8,quantities,updated_at,pos.availquantity,pos.inbound,"
                + "pos.outbound\r\n"
                + "usmf,hat,1,11," + noDimensions
                + ",\"{\"\"pos\"\": {\"\"inbound\"\": 1, \"\"availquantity\"\": 1}}\","
                + DateTimeFormatter.ISO_INSTANT.format(times.get("hat/")) + ",1,1,\r\n"
                + "usmf,shirt,1,11,\"red, \"\"dark\"\"\"" + noDimensions
                + ",\"{\"\"pos\"\": {\"\"inbound\"\": 2.5, \"\"outbound\"\": 4,"
                + " \"\"availquantity\"\": -1.5}}\","
                + DateTimeFormatter.ISO_INSTANT.format(times.get("shirt/red, \"dark\""))
                + ",-1.5,2.5,4\r\n";
        assertThat(csv.status()).as(csv.text()).isEqualTo(200);
        assertThat(csv.response().headers().firstValue("Content-Type"))
                .hasValue("text/csv;charset=utf-8");
        assertThat(csv.response().headers().firstValue("X-Row-Count")).hasValue("2");
        assertThat(csv.text()).isEqualTo(expected);
    }

    /** {@code table=preload}: the grouped rows, red M and L summed into one. */
    @Test
    void csv_preload_holdsTheGroupedRows() throws Exception {
        posOnly();
        enable(false, true, "periodic", "colorid");
        change(event(
                "c1",
                "shirt",
                dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "M"),
                "pos",
                "inbound",
                2));
        change(event(
                "c2",
                "shirt",
                dims("siteId", "1", "locationId", "11", "colorId", "red", "sizeId", "L"),
                "pos",
                "inbound",
                3,
                "outbound",
                1));
        refresher.refreshAll(env, false, () -> {});

        Download csv = download("?format=csv&table=preload");

        String[] lines = csv.text().split("\r\n");
        assertThat(csv.status()).as(csv.text()).isEqualTo(200);
        assertThat(csv.response().headers().firstValue("X-Row-Count")).hasValue("1");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("usmf,shirt,1,11,red,,").endsWith(",4,5,1");
    }

    @Test
    void export_badFormatOrTable_is400NamingTheParameter() throws Exception {
        Download format = download("?format=xlsx");
        Download table = download("?table=orders");

        assertThat(format.status()).isEqualTo(400);
        assertThat(format.text()).contains("format", "xlsx");
        assertThat(table.status()).isEqualTo(400);
        assertThat(table.text()).contains("table", "orders");
    }

    @Test
    void export_withoutToken_is401() throws Exception {
        IvsClient.Response response = client.withoutAuth().get(api("/summary/export"));

        assertThat(response.status()).isEqualTo(401);
    }

    /** Rows written through the API: 100 products × 50 colours, varied decimals and signs. */
    private void manyRows() {
        posOnly();
        for (int p = 0; p < PRODUCTS; p += 10) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int product = p; product < p + 10; product++) {
                for (int color = 0; color < COLORS; color++) {
                    BigDecimal inbound = BigDecimal.valueOf(product * 1000L + color, 3);
                    Object[] measures = color % 7 == 0
                            ? new Object[] {"outbound", new BigDecimal("12345678901.0123456789")}
                            : new Object[] {"inbound", inbound};
                    events.add(event(
                            "e" + product + "-" + color,
                            "p" + product,
                            dims(
                                    "siteId",
                                    "s" + (color % 3),
                                    "locationId",
                                    "l1",
                                    "colorId",
                                    "c" + color),
                            "pos",
                            measures));
                }
            }
            changes(events);
        }
        refresher.refreshAll(env, false, () -> {});
    }

    /** One table row as the test expects to find it in a file. */
    private record Expected(
            String organization,
            String product,
            List<String> dimensions,
            String quantities,
            Instant updatedAt) {}

    private List<Expected> tableRows() {
        List<Expected> rows = new ArrayList<>();
        jdbc.query(
                "select organization_id, product_id, " + SummaryColumns.list("")
                        + ", quantities::text, updated_at from inventory_summary"
                        + " where environment_id = ?"
                        + " order by organization_id, product_id, siteid, locationid, record_key",
                rs -> {
                    List<String> dimensions = new ArrayList<>();
                    int column = 3;
                    for (int i = 0; i < SummaryColumns.DIMENSIONS.size(); i++) {
                        dimensions.add(rs.getString(column++));
                    }
                    rows.add(new Expected(
                            rs.getString(1),
                            rs.getString(2),
                            dimensions,
                            rs.getString(column++),
                            rs.getObject(column, java.time.OffsetDateTime.class).toInstant()));
                },
                env);
        return rows;
    }

    /** The same 5,000 rows as Parquet (read back value by value) and as CSV (line by line). */
    @Test
    void parquetAndCsv_5000Rows_holdEveryRowInTableOrder() throws Exception {
        manyRows();
        List<Expected> expected = tableRows();
        assertThat(expected).hasSize(PRODUCTS * COLORS);

        Download parquet = download("?format=parquet");

        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.response().headers().firstValue("X-Row-Count")).hasValue("5000");
        assertThat(parquet.response().headers().firstValue("Content-Length"))
                .as("streamed, not built in memory first")
                .isEmpty();
        Path file = Files.createTempFile("summary-", ".parquet");
        try {
            Files.write(file, parquet.body());
            List<Group> groups = new ArrayList<>();
            MessageType schema = read(file, groups);
            assertSchema(schema);
            assertThat(groups).hasSize(expected.size());
            for (int i = 0; i < groups.size(); i++) {
                assertRow(groups.get(i), expected.get(i));
            }
        } finally {
            Files.delete(file);
        }

        Download csv = download("?format=csv");

        String[] lines = csv.text().split("\r\n", -1);
        assertThat(lines).hasSize(expected.size() + 2);
        assertThat(lines[lines.length - 1]).isEmpty();
        for (int i = 0; i < expected.size(); i++) {
            Expected row = expected.get(i);
            assertThat(lines[i + 1])
                    .startsWith(row.organization() + "," + row.product() + ","
                            + row.dimensions().get(0) + "," + row.dimensions().get(1) + ","
                            + row.dimensions().get(2) + ",")
                    .contains(DateTimeFormatter.ISO_INSTANT.format(row.updatedAt()));
        }
    }

    private static MessageType read(Path file, List<Group> into) throws IOException {
        return ParquetFiles.read(file, into::add);
    }

    private static void assertSchema(MessageType schema) {
        List<String> names = schema.getFields().stream().map(Type::getName).toList();
        List<String> expected = new ArrayList<>(List.of("organization_id", "product_id"));
        expected.addAll(SummaryColumns.DIMENSIONS);
        expected.addAll(List.of(
                "quantities", "updated_at", "pos.availquantity", "pos.inbound", "pos.outbound"));
        assertThat(names).isEqualTo(expected);
        PrimitiveType inbound = schema.getType("pos.inbound").asPrimitiveType();
        assertThat(inbound.getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.decimalType(10, 38));
        assertThat(schema.getType("updated_at").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(
                        true, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertThat(schema.getType("colorid").getRepetition()).isEqualTo(Type.Repetition.OPTIONAL);
    }

    private static void assertRow(Group group, Expected row) {
        assertThat(group.getString("organization_id", 0)).isEqualTo(row.organization());
        assertThat(group.getString("product_id", 0)).isEqualTo(row.product());
        for (int d = 0; d < SummaryColumns.DIMENSIONS.size(); d++) {
            String column = SummaryColumns.DIMENSIONS.get(d);
            String value =
                    group.getFieldRepetitionCount(column) == 0 ? null : group.getString(column, 0);
            assertThat(value).as(column).isEqualTo(row.dimensions().get(d));
        }
        assertThat(group.getString("quantities", 0)).isEqualTo(row.quantities());
        assertThat(group.getLong("updated_at", 0))
                .isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, row.updatedAt()));
        Map<String, String> quantities = flatten(parseExact(row.quantities()));
        for (String measure : List.of("pos.availquantity", "pos.inbound", "pos.outbound")) {
            String value = group.getFieldRepetitionCount(measure) == 0
                    ? null
                    : new BigDecimal(new BigInteger(group.getBinary(measure, 0).getBytes()), 10)
                            .stripTrailingZeros()
                            .toPlainString();
            assertThat(value).as(row.product() + " " + measure).isEqualTo(quantities.get(measure));
        }
    }
}
