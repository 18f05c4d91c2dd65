package io.ivs.core.onhand;

/**
 * Which data sources a caller may write with on-hand changes and sets: the ERP-owned ones (the
 * role {@code inventory.erp}), the others ({@code inventory.write}), or both. Reservations,
 * allocation and change schedules never write an ERP-owned data source, whoever asks.
 */
public record WriteAccess(boolean erpOwned, boolean others) {
    /** An API client: every data source except the ERP-owned ones. */
    public static final WriteAccess API = new WriteAccess(false, true);

    /** The ERP alone: its own data sources only. */
    public static final WriteAccess ERP = new WriteAccess(true, false);

    /** An ERP client that also holds {@code inventory.write}. */
    public static final WriteAccess ALL = new WriteAccess(true, true);
}
