package io.ivs.server.summary;

import io.ivs.core.config.DataSourceConfig;
import io.ivs.core.config.RuntimeConfiguration;
import io.ivs.core.measure.MeasureRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The columns of an export: organization, product, the dimension columns, the quantities JSON,
 * the update time, then one decimal column per configured measure ({@code ds.measure}, physical
 * and calculated, data sources and measures sorted), so that data-lake tools can sum a measure
 * without parsing JSON.
 *
 * @param measureNames the column names of {@code measures}: data source as configured, a dot,
 *     the lower-case measure
 */
record ExportSchema(List<MeasureRef> measures, List<String> measureNames) {
    static final List<String> FIXED_BEFORE = List.of("organization_id", "product_id");
    static final List<String> FIXED_AFTER = List.of("quantities", "updated_at");

    ExportSchema {
        measures = List.copyOf(measures);
        measureNames = List.copyOf(measureNames);
    }

    static ExportSchema of(RuntimeConfiguration config) {
        List<DataSourceConfig> sources = new ArrayList<>(config.dataSources().values());
        sources.sort(Comparator.comparing(DataSourceConfig::key));
        List<MeasureRef> measures = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (DataSourceConfig ds : sources) {
            TreeSet<String> all = new TreeSet<>(ds.physicalMeasures());
            all.addAll(ds.calculatedMeasures().keySet());
            for (String measure : all) {
                measures.add(new MeasureRef(ds.key(), measure));
                names.add(ds.name() + "." + measure);
            }
        }
        return new ExportSchema(measures, names);
    }

    /** Every column name in file order. */
    List<String> columnNames() {
        List<String> columns = new ArrayList<>(FIXED_BEFORE);
        columns.addAll(SummaryColumns.DIMENSIONS);
        columns.addAll(FIXED_AFTER);
        columns.addAll(measureNames);
        return columns;
    }
}
