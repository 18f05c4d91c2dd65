package io.ivs.server.reservation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Counts reservations through index {@code reservation_by_id} (environment, reservation id) and
 * the rows it points to, stopping at the bound.
 */
@Repository
class JdbcReservationCounts implements ReservationCounts {
    private final JdbcClient jdbc;

    JdbcReservationCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long held(String environmentId, int countMax) {
        return jdbc.sql("select count(*) from (select 1 from reservation where environment_id = ?"
                        + " and quantity <> 0 limit ?) c")
                .params(environmentId, countMax)
                .query(Long.class)
                .single();
    }
}
