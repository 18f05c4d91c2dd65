package io.ivs.core.config;

import java.util.List;

/** One index hierarchy: an ordered list of lower-case base dimensions (spec §3.8). */
public record IndexSet(int setNumber, List<String> keys) {
    public IndexSet {
        keys = List.copyOf(keys);
    }
}
