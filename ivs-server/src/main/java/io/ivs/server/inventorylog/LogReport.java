package io.ivs.server.inventorylog;

/** A log request's report: its job and how many lines it holds. */
record LogReport(String jobId, int lineCount) {}
