package io.ivs.server.product;

import io.ivs.core.environment.EnvironmentId;
import io.ivs.core.onhand.RecordKey;
import io.ivs.core.product.AttributeArea;
import io.ivs.core.product.Product;
import io.ivs.core.product.ProductAttribute;
import io.ivs.core.product.ProductSearch;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The product catalogue in PostgreSQL (migration V20). */
@Repository
class JdbcProductStore {
    /**
     * A changed product's new time is the inserted row's default ({@code excluded.updated_at}):
     * Citus takes only immutable functions in the update part of an upsert on a distributed
     * table.
     */
    private static final String UPSERT = "insert into product (product_key, environment_id,"
            + " organization_id, item_number, product_name, product_search_name, product_type,"
            + " product_description, inventory_unit_symbol, sales_unit_symbol,"
            + " purchase_unit_symbol) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (product_key) do update set product_name = excluded.product_name,"
            + " product_search_name = excluded.product_search_name,"
            + " product_type = excluded.product_type,"
            + " product_description = excluded.product_description,"
            + " inventory_unit_symbol = excluded.inventory_unit_symbol,"
            + " sales_unit_symbol = excluded.sales_unit_symbol,"
            + " purchase_unit_symbol = excluded.purchase_unit_symbol,"
            + " updated_at = excluded.updated_at";

    private static final String INSERT_ATTRIBUTE = "insert into product_attribute (product_key,"
            + " environment_id, area, type_name, name, value, position)"
            + " values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    JdbcProductStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    static UUID key(String environmentId, String organizationId, String itemNumber) {
        return RecordKey.productKey(EnvironmentId.of(environmentId), organizationId, itemNumber);
    }

    /**
     * Creates or replaces the products, attributes included, in one transaction. Of two items
     * for one product the later wins; rows are written in product-key order so that two bulk
     * requests for the same products cannot deadlock.
     */
    void upsert(String environmentId, List<Product> products) {
        Map<UUID, Product> latest = new LinkedHashMap<>();
        for (Product product : products) {
            latest.put(key(environmentId, product.organizationId(), product.itemNumber()), product);
        }
        List<Map.Entry<UUID, Product>> ordered = new ArrayList<>(latest.entrySet());
        ordered.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        tx.executeWithoutResult(status -> {
            jdbc.batchUpdate(
                    UPSERT,
                    ordered.stream().map(e -> productRow(environmentId, e)).toList());
            jdbc.batchUpdate(
                    "delete from product_attribute where product_key = ?",
                    ordered.stream().map(e -> new Object[] {e.getKey()}).toList());
            List<Object[]> attributes = new ArrayList<>();
            ordered.forEach(
                    e -> attributeRows(environmentId, e.getKey(), e.getValue(), attributes));
            if (!attributes.isEmpty()) {
                jdbc.batchUpdate(INSERT_ATTRIBUTE, attributes);
            }
        });
    }

    private static Object[] productRow(String environmentId, Map.Entry<UUID, Product> entry) {
        Product p = entry.getValue();
        return new Object[] {
            entry.getKey(),
            environmentId,
            p.organizationId(),
            p.itemNumber(),
            p.productName(),
            p.productSearchName(),
            p.productType(),
            p.productDescription(),
            p.inventoryUnitSymbol(),
            p.salesUnitSymbol(),
            p.purchaseUnitSymbol()
        };
    }

    private static void attributeRows(
            String environmentId, UUID key, Product product, List<Object[]> rows) {
        int position = 0;
        for (ProductAttribute attribute : product.attributes()) {
            for (String value : attribute.values()) {
                rows.add(new Object[] {
                    key,
                    environmentId,
                    ProductSearchSql.areaColumnValue(attribute.area().wireName()),
                    attribute.typeName(),
                    attribute.name(),
                    value,
                    position++
                });
            }
        }
    }

    Optional<Product> find(String environmentId, String organizationId, String itemNumber) {
        UUID key = key(environmentId, organizationId, itemNumber);
        List<Product> found = jdbc.query(
                "select organization_id, item_number, product_name, product_search_name,"
                        + " product_type, product_description, inventory_unit_symbol,"
                        + " sales_unit_symbol, purchase_unit_symbol from product"
                        + " where product_key = ? and environment_id = ?",
                (rs, n) -> new Product(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        attributes(key)),
                key,
                environmentId);
        return found.stream().findFirst();
    }

    /** The attributes of a product, values grouped under their attribute in the order sent. */
    private List<ProductAttribute> attributes(UUID key) {
        Map<List<String>, List<String>> values = new LinkedHashMap<>();
        jdbc.query(
                "select area, type_name, name, value from product_attribute"
                        + " where product_key = ? order by position",
                rs -> {
                    values.computeIfAbsent(
                                    List.of(rs.getString(1), rs.getString(2), rs.getString(3)),
                                    k -> new ArrayList<>())
                            .add(rs.getString(4));
                },
                key);
        List<ProductAttribute> attributes = new ArrayList<>();
        values.forEach((id, list) -> attributes.add(new ProductAttribute(
                id.get(1), id.get(2), AttributeArea.parse("attributeArea", id.get(0)), list)));
        return attributes;
    }

    /** Deletes a product and its attributes; false when there was none. */
    boolean delete(String environmentId, String organizationId, String itemNumber) {
        return jdbc.update(
                        "delete from product where product_key = ? and environment_id = ?",
                        key(environmentId, organizationId, itemNumber),
                        environmentId)
                > 0;
    }

    /** The item numbers of the matching products, at most {@code limit}. */
    List<String> search(
            String environmentId, List<String> organizations, ProductSearch search, int limit) {
        ProductSearchSql.Statement statement =
                ProductSearchSql.select(environmentId, organizations, search, limit);
        return jdbc.query(
                statement.sql(),
                (rs, n) -> rs.getString(1),
                statement.parameters().toArray());
    }
}
