package io.ivs.server.allocation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;

/** Reads allocation buckets through index {@code allocation_bucket_environment}, bounded. */
@Repository
class JdbcAllocationCounts implements AllocationCounts {
    private final JdbcClient jdbc;

    JdbcAllocationCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long buckets(String environmentId, int countMax) {
        return jdbc.sql("select count(*) from (select 1 from allocation_bucket"
                        + " where environment_id = ? limit ?) c")
                .params(environmentId, countMax)
                .query(Long.class)
                .single();
    }

    @Override
    public List<AllocatedRecord> records(String environmentId, int bucketsMax, int listedMax) {
        return jdbc.sql("select organization_id, product_id, (select coalesce(string_agg(key"
                        + " || ' = ' || value, E'\\n' order by key), '')"
                        + " from jsonb_each_text(dimensions)), count(*) from (select"
                        + " organization_id, product_id, dimensions from allocation_bucket"
                        + " where environment_id = ? limit ?) b"
                        + " group by organization_id, product_id, dimensions"
                        + " order by organization_id, product_id, 3 limit ?")
                .params(environmentId, bucketsMax, listedMax)
                .query((rs, n) -> new AllocatedRecord(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                .list();
    }
}
