package io.ivs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class ReportTest {
    private static final Machine MACHINE =
            new Machine(2, 23.4, "Test CPU", "Linux 6 amd64", "Temurin 25", "17.6");

    private static Row row(String system, long micros, int items) {
        Histogram h = new Histogram(Load.LATENCY_MICROS_MAX, 3);
        for (int i = 0; i < 100; i++) {
            h.recordValue(micros);
        }
        return Row.of("bulk ingest", system, 4, items, new Load.Measured(100, 0, 0, 2.0, h), "");
    }

    @Test
    void rowOf_measured_computesRatesAndPercentilesInMillis() {
        Row row = row(Row.IVS, 2_000, 512);
        assertThat(row.requestsPerSecond()).isEqualTo(50.0);
        assertThat(row.itemsPerSecond()).isEqualTo(25_600.0);
        assertThat(row.p50Millis()).isEqualTo(2.0);
        assertThat(row.p999Millis()).isEqualTo(2.0);
    }

    @Test
    void markdown_rowsRatiosAndTargets_formAMarkdownTable() {
        Report report = new Report(MACHINE, "quick", "bin/ivs bench --quick");
        Row ivs = row(Row.IVS, 2_000, 512);
        Row ceiling = row(Row.SAME_WORK, 1_000, 512).withNote("x");
        report.add(ivs);
        report.add(ceiling);
        report.ratio(new Report.Ratio("bulk ingest", Row.SAME_WORK, 800, 1000, "events/s"));
        report.target(new Report.Target("goal", "0.80 x", "met"));
        String md = report.markdown();
        assertThat(md).contains("Command: `bin/ivs bench --quick`");
        assertThat(md).contains("2 cores (Test CPU), 23.4 GiB memory");
        assertThat(md)
                .contains("| bulk ingest | IVS | 4 | 50.0 | 25,600 | 2.00 | 2.00 | 2.00"
                        + " | 100 | 0 | 0 |  |");
        assertThat(md)
                .contains("| bulk ingest | ceiling: same work | 800 events/s"
                        + " | 1,000 events/s | 0.80 |");
        assertThat(md).contains("| goal | 0.80 x | met |");
    }

    @Test
    void markdown_referenceSchemaRatios_comeFirst_beforeTheRows() {
        Report report = new Report(MACHINE, "full", "cmd");
        report.add(row(Row.IVS, 2_000, 512));
        report.ratio(new Report.Ratio("bulk ingest", Row.SAME_WORK, 800, 1000, "events/s"));
        report.ratio(new Report.Ratio("bulk ingest", Row.REFERENCE, 800, 2000, "events/s"));
        report.ratio(new Report.Ratio("single-event ingest", Row.SAME_WORK, 8, 10, "events/s"));
        report.ratio(new Report.Ratio("single-event ingest", Row.REFERENCE, 8, 20, "events/s"));
        String md = report.markdown();
        int bulkReference = md.indexOf("| bulk ingest | ceiling: reference schema | 800");
        int singleReference = md.indexOf("| single-event ingest | ceiling: reference schema | 8");
        int bulkSame = md.indexOf("| bulk ingest | ceiling: same work | 800");
        int rows = md.indexOf("| scenario | system |");
        assertThat(bulkReference).isPositive();
        assertThat(singleReference).isGreaterThan(bulkReference);
        assertThat(bulkSame).isGreaterThan(singleReference);
        assertThat(rows).isGreaterThan(md.indexOf("| single-event ingest | ceiling: same work"));
        assertThat(md).contains("| 0.40 |");
    }

    @Test
    void writeJson_writesTheDocumentAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Report report = new Report(MACHINE, "quick", "cmd");
        report.add(row(Row.IVS, 2_000, 1));
        Path file = report.writeJson(dir, "run.json");
        String json = Files.readString(file);
        assertThat(json).contains("\"mode\" : \"quick\"").contains("\"cores\" : 2");
        assertThat(json).contains("\"scenario\" : \"bulk ingest\"");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
