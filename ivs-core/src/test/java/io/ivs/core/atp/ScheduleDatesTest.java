package io.ivs.core.atp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;

/**
 * Schedule dates (spec A.3.2, A.8, C-A3): {@code yyyy-MM-dd}, the 2022 documents' slash form and
 * ISO date-times, whose date part is used; anything else is an error naming the field.
 */
class ScheduleDatesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2022-02-01, 2022-02-01",
        "2024-02-29, 2024-02-29",
        "' 2022-02-03 ', 2022-02-03",
        "2022/2/3, 2022-02-03",
        "2022/02/03, 2022-02-03",
        "2022/12/31, 2022-12-31",
        "2022-02-03T00:00:00, 2022-02-03",
        "2022-02-03T23:59:59, 2022-02-03",
        "2022-02-03T10:15:30.5, 2022-02-03",
        "2022-02-03T00:00:00Z, 2022-02-03",
        "2022-02-03T23:30:00Z, 2022-02-03",
        "2022-02-03T10:15:30+01:00, 2022-02-03"
    })
    void parse_acceptedForm_returnsItsDate(String text, String expected) {
        assertThat(ScheduleDates.parse("quantitiesByDate." + text, text))
                .isEqualTo(LocalDate.parse(expected));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "",
                " ",
                "tomorrow",
                "2022-13-01",
                "2022-02-30",
                "2023-02-29",
                "2022-00-10",
                "2022-2-3",
                "20220203",
                "2022.02.03",
                "01/02/2022",
                "2022/13/1",
                "2022/2/30",
                "2022-02-03T25:00:00",
                "2022-02-03T",
                "T10:00:00",
                "2022-02-03 10:00:00"
            })
    void parse_malformedText_throwsNamingTheField(String text) {
        assertThatThrownBy(() -> ScheduleDates.parse("quantitiesByDate." + text, text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quantitiesByDate." + text)
                .hasMessageContaining("'" + text + "' is not a date")
                .extracting(e -> ((InvalidInputException) e).field())
                .isEqualTo("quantitiesByDate." + text);
    }
}
