package io.ivs.core;

/**
 * Why a write was not applied: one list for every use case (on-hand changes, schedules,
 * reservations, allocation), in a stable order, from bad input to a refusal on the stock itself.
 * The web layer maps each code to an HTTP status in one place ({@code web/RejectionStatus});
 * docs/api-notes.md lists the mapping.
 */
public enum Rejection {
    /** A field breaks a rule of the API; the message names it. */
    INVALID,
    /** Site or location missing under the by-location partition rule (A7). */
    MISSING_PARTITION,
    /** A checked reserve of zero or less, which would cancel under the check's cover. */
    NEGATIVE_CHECKED,
    /** The feature is switched off in the environment's configuration. */
    DISABLED,
    /** The data source may not be written by this caller (the ERP's own, for example). */
    FORBIDDEN,
    /** The reservation or bucket named does not exist. */
    NOT_FOUND,
    /** The event id was used before for different content. */
    CONFLICT,
    /** A checked reserve asks for more than is available to reserve. */
    INSUFFICIENT_AVAILABILITY,
    /** An allocation asks for more than is available to allocate, or a bucket holds less. */
    INSUFFICIENT_TO_ALLOCATE,
    /** A line of an all-or-nothing order that was not reserved because another line was not. */
    ORDER_REFUSED
}
