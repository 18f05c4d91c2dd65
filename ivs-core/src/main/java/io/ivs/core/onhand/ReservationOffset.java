package io.ivs.core.onhand;

import java.math.BigDecimal;

/**
 * A reservation that an ERP record consumed: when the ERP ships or invoices reserved stock, its
 * set on-hand lowers the physical quantity and, in the same transaction, this quantity leaves the
 * reservation, so that available-to-reserve never counts it twice (gone from on-hand and still
 * held). As the client sent it: the id not yet checked, the quantity not yet bounded.
 */
public record ReservationOffset(String reservationId, BigDecimal quantity) {}
