package io.ivs.server.console;

import io.ivs.core.atp.AtpRow;
import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;
import io.ivs.server.web.Json;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ATP result group as a chart and a table: per day of the window, each ATP measure's
 * projected on-hand (today's value plus the scheduled changes up to that day) and its ATP (the
 * lowest projected on-hand from that day on, as the core computes it).
 *
 * @param title organization, product and dimensions of the group
 * @param days the reported days
 * @param series per ATP measure, the projected on-hand and the ATP values, one per day
 */
public record AtpChart(String title, List<String> days, List<Series> series) {
    public record Series(String measure, List<String> projected, List<String> atp) {}

    public static AtpChart of(RuntimeConfiguration config, AtpRow row) {
        String title = row.row().organizationId() + " / " + row.row().productId()
                + (row.row().dimensions().isEmpty() ? "" : " " + row.row().dimensions());
        List<String> days = new ArrayList<>();
        row.series().atpQuantities().keySet().forEach(day -> days.add(day.toString()));
        List<Series> series = new ArrayList<>();
        for (MeasureRef measure : config.schedule().atpMeasures()) {
            BigDecimal projected = today(config, row, measure);
            List<String> projectedValues = new ArrayList<>();
            List<String> atpValues = new ArrayList<>();
            for (Map.Entry<LocalDate, Map<MeasureRef, BigDecimal>> day :
                    row.series().atpQuantities().entrySet()) {
                Map<MeasureRef, BigDecimal> changes =
                        row.series().quantitiesByDate().get(day.getKey());
                if (changes != null) {
                    projected = projected.add(changes.getOrDefault(measure, BigDecimal.ZERO));
                }
                projectedValues.add(plain(projected));
                atpValues.add(plain(day.getValue().getOrDefault(measure, BigDecimal.ZERO)));
            }
            series.add(new Series(measure.qualified(), projectedValues, atpValues));
        }
        return new AtpChart(title, days, series);
    }

    /** The chart's data for the page's script, as JSON. */
    public String json() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("days", days);
        data.put("series", series);
        return Json.mapper().writeValueAsString(data);
    }

    /** The measure's value today, from the query row (data source in its configured case). */
    private static BigDecimal today(RuntimeConfiguration config, AtpRow row, MeasureRef measure) {
        String source = config.dataSource(measure.dataSource())
                .map(DataSourceConfig::name)
                .orElse(measure.dataSource());
        BigDecimal value = row.row().quantities().get(source, measure.measure());
        return value == null ? BigDecimal.ZERO : value;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
