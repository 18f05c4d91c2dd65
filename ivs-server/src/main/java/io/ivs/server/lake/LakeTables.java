package io.ivs.server.lake;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The two Delta tables of one environment: {@code summary} and {@code changes}, in
 * {@code <lake>/<environment>/summary} and {@code <lake>/<environment>/changes}.
 */
record LakeTables(DeltaTable summary, DeltaTable changes) {
    static LakeTables open(Path environmentDirectory, JsonMapper json) throws IOException {
        return new LakeTables(
                DeltaTable.open(environmentDirectory.resolve("summary"), json),
                DeltaTable.open(environmentDirectory.resolve("changes"), json));
    }
}
