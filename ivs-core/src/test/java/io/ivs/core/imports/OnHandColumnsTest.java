package io.ivs.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ivs.core.InvalidInputException;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class OnHandColumnsTest {
    private static final ImportIds IDS = ImportIds.of(new byte[32], ImportMode.CHANGE, "");

    private static List<CsvRecord> records(String csv) throws IOException {
        List<CsvRecord> all = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new StringReader(csv))) {
            CsvRecord record;
            while ((record = reader.next()) != null) {
                all.add(record);
            }
        }
        return all;
    }

    @Test
    void csvReader_quotedFieldsAndBlankLines_keepTheirLineNumbers() throws IOException {
        List<CsvRecord> all =
                records("a,b\r\n\n\"x,1\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\nz,\"open");

        assertThat(all).extracting(CsvRecord::line).containsExactly(1L, 3L, 4L, 6L);
        assertThat(all.get(1).fields()).containsExactly("x,1", "say \"hi\"");
        assertThat(all.get(2).fields()).containsExactly("multi\nline", "2");
        assertThat(all.get(2).text()).isEqualTo("\"multi\nline\",2");
        assertThat(all.get(3).malformed()).isEqualTo("a quoted field is not closed");
        assertThat(CsvReader.join(List.of("a,b", "c\"d", "e"))).isEqualTo("\"a,b\",\"c\"\"d\",e");
    }

    @Test
    void convert_changeRow_groupsQuantitiesByDataSourceAndDerivesTheId() throws IOException {
        List<CsvRecord> all = records("organizationId,productId,siteId,locationId,pos.inbound,"
                + "pos.outbound,iv.sold\nusmf,P1,1,,5,-2.50,\n");
        OnHandColumns columns =
                OnHandColumns.parse(all.get(0).fields(), ImportMode.CHANGE, null, IDS);

        RowOutcome<OnHandRow> outcome = columns.convert(all.get(1));

        OnHandRow row = ((RowOutcome.Accepted<OnHandRow>) outcome).item();
        assertThat(row.id()).isEqualTo(IDS.id(2)).startsWith("imp-").endsWith("-2");
        assertThat(row.dimensions()).isEqualTo(Map.of("siteId", "1"));
        assertThat(row.quantities())
                .isEqualTo(Map.of(
                        "pos",
                        Map.of(
                                "inbound",
                                new BigDecimal("5"),
                                "outbound",
                                new BigDecimal("-2.5"))));
    }

    @Test
    void convert_malformedRows_areRefusedWithTheirReasons() throws IOException {
        List<CsvRecord> all = records("organizationId,productId,siteId,pos.inbound,id\n"
                + "usmf,,1,5,\nusmf,P1,1,five,\nusmf,P1,1\nusmf,P1,1,,\nusmf,P2,1,1,my-id\n");
        OnHandColumns columns =
                OnHandColumns.parse(all.get(0).fields(), ImportMode.CHANGE, null, IDS);

        List<RowOutcome<OnHandRow>> outcomes =
                all.subList(1, all.size()).stream().map(columns::convert).toList();

        assertThat(outcomes.subList(0, 4))
                .allMatch(o -> o instanceof RowOutcome.Rejected<OnHandRow>)
                .extracting(o -> ((RowOutcome.Rejected<OnHandRow>) o).reason())
                .containsExactly(
                        "productId: must not be empty",
                        "pos.inbound: 'five' is not a number",
                        "has 3 fields; the header has 5",
                        "has no quantity (every measure column is empty)");
        assertThat(outcomes).extracting(RowOutcome::line).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(((RowOutcome.Accepted<OnHandRow>) outcomes.get(4)).item().id())
                .isEqualTo("my-id");
    }

    @Test
    void parse_setOfOneDataSource_refusesAnotherDataSourcesColumn() {
        List<String> header = List.of("organizationId", "productId", "fno.availphysical", "pos.x");

        assertThatThrownBy(() -> OnHandColumns.parse(header, ImportMode.SET, "fno", IDS))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'pos.x' belongs to data source 'pos'");
        assertThatThrownBy(() -> OnHandColumns.parse(header, ImportMode.SET, null, IDS))
                .hasMessageContaining("dataSource: is required");
        assertThatThrownBy(() -> OnHandColumns.parse(
                        List.of("organizationId", "siteId", "pos.x"), ImportMode.CHANGE, null, IDS))
                .hasMessageContaining("has no column 'productId'");
    }

    @Test
    void importIds_dependOnFileModeAndDataSource() {
        byte[] file = new byte[32];
        byte[] other = new byte[32];
        other[0] = 1;

        String change = ImportIds.of(file, ImportMode.CHANGE, "").id(7);

        assertThat(ImportIds.of(file, ImportMode.CHANGE, "").id(7)).isEqualTo(change);
        assertThat(ImportIds.of(other, ImportMode.CHANGE, "").id(7)).isNotEqualTo(change);
        assertThat(ImportIds.of(file, ImportMode.SET, "pos").id(7)).isNotEqualTo(change);
    }

    @Test
    void productColumns_attributesSplitOnBars() throws IOException {
        List<CsvRecord> all = records("organizationId,itemNumber,productName,"
                + "attr:dimensionattribute:Color:ColorId,attr:ProductAttribute:Size:Size\n"
                + "usmf,I1,Shirt,red| blue ,\nusmf,,x,,\n");
        ProductColumns columns = ProductColumns.parse(all.get(0).fields());

        ProductRow row = ((RowOutcome.Accepted<ProductRow>) columns.convert(all.get(1))).item();

        assertThat(row.fields())
                .isEqualTo(Map.of(
                        "organizationId", "usmf", "itemNumber", "I1", "productName", "Shirt"));
        assertThat(row.attributes())
                .containsExactly(new ProductRow.Attribute(
                        "DimensionAttribute", "Color", "ColorId", List.of("red", "blue")));
        assertThat(columns.convert(all.get(2))).isInstanceOf(RowOutcome.Rejected.class);
        assertThatThrownBy(() -> ProductColumns.parse(List.of("organizationId", "itemNumber", "x")))
                .hasMessageContaining("unknown column 'x'");
        assertThatThrownBy(() -> ProductColumns.parse(
                        List.of("organizationId", "itemNumber", "attr:Other:a:b")))
                .hasMessageContaining("the area must be one of");
    }
}
