package io.ivs.bench;

/** What one operation of a load loop ended with. */
enum Outcome {
    /** Done as asked. */
    OK,
    /** Refused for a business reason the scenario expects (a checked reservation out of stock). */
    REJECTED,
    /** Failed: a transport error, a timeout or an unexpected status. */
    ERROR,
    /** The worker has no work left: it stops, and nothing is recorded. */
    DONE
}
