package io.ivs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

class CsvRecordsTest {
    @ParameterizedTest(name = "{0} -> {1} rows")
    @CsvSource(
            delimiter = '|',
            value = {
                "h\\r\\n|0",
                "h\\r\\n1\\r\\n2\\r\\n|2",
                "h\\r\\n1\\r\\n2|2",
                "h\\r\\n\"a\\r\\nb\"\\r\\n|1",
                "h\\r\\n\"say \"\"hi\"\"\\r\\n\"\\r\\n2\\r\\n|2",
                "|0"
            })
    void rows_countRecordsAfterTheHeader_quotedLineBreaksIncluded(String text, long rows) {
        byte[] bytes = (text == null ? "" : text)
                .replace("\\r", "\r")
                .replace("\\n", "\n")
                .getBytes(StandardCharsets.UTF_8);

        for (int split = 0; split <= bytes.length; split++) {
            CsvRecords records = new CsvRecords();
            byte[] first = java.util.Arrays.copyOfRange(bytes, 0, split);
            byte[] second = java.util.Arrays.copyOfRange(bytes, split, bytes.length);
            records.accept(first, first.length);
            records.accept(second, second.length);

            assertThat(records.rows()).as("split at %d", split).isEqualTo(rows);
        }
    }
}
