package io.ivs.core.atp;

import io.ivs.core.onhand.ResultRow;

/** A query result row with its schedule data and ATP. */
public record AtpRow(ResultRow row, AtpSeries series) {}
