package io.ivs.server.web;

import io.ivs.core.onhand.ItemResult;

/**
 * The envelope of one on-hand item's result, with the status its rejection reason maps to; the
 * on-hand and schedule endpoints answer their items the same way.
 */
public final class ItemEnvelopes {
    private ItemEnvelopes() {}

    public static IvEnvelope of(ItemResult result) {
        return switch (result) {
            case ItemResult.Accepted accepted ->
                IvEnvelope.success(accepted.eventId(), accepted.message());
            case ItemResult.Rejected rejected ->
                IvEnvelope.failure(
                        rejected.eventId(),
                        RejectionStatus.of(rejected.reason(), RejectionStatus.IV_REJECTION_STATUS),
                        rejected.message());
        };
    }
}
