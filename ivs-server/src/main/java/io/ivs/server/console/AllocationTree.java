package io.ivs.server.console;

import io.ivs.core.allocation.Bucket;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Allocation buckets of one product and dimension set as the group tree (spec B.5): a node per
 * group value on each level, with its own bucket's figures where it has one, and the totals of
 * its subtree.
 */
public record AllocationTree(List<Node> roots) {
    /** One group value; {@code bucket} is null when only deeper levels were allocated to. */
    public record Node(
            String level,
            String value,
            @Nullable Bucket bucket,
            BigDecimal totalAllocated,
            BigDecimal totalConsumed,
            List<Node> children) {
        public String allocated() {
            return bucket == null ? "" : plain(bucket.allocated());
        }

        public String consumed() {
            return bucket == null ? "" : plain(bucket.consumed());
        }

        public String cumulativeAllocated() {
            return bucket == null ? "" : plain(bucket.cumulativeAllocated());
        }

        public String cumulativeConsumed() {
            return bucket == null ? "" : plain(bucket.cumulativeConsumed());
        }

        public String subtreeAllocated() {
            return plain(totalAllocated);
        }

        public String subtreeConsumed() {
            return plain(totalConsumed);
        }
    }

    public static AllocationTree of(List<String> levels, List<Bucket> buckets) {
        return new AllocationTree(children(levels, buckets, List.of()));
    }

    private static List<Node> children(
            List<String> levels, List<Bucket> buckets, List<String> prefix) {
        int depth = prefix.size();
        List<String> values = buckets.stream()
                .filter(b ->
                        b.path().size() > depth && b.path().subList(0, depth).equals(prefix))
                .map(b -> b.path().get(depth))
                .distinct()
                .sorted(Comparator.naturalOrder())
                .toList();
        List<Node> nodes = new ArrayList<>();
        for (String value : values) {
            List<String> path = new ArrayList<>(prefix);
            path.add(value);
            Bucket own = buckets.stream()
                    .filter(b -> b.path().equals(path))
                    .findFirst()
                    .orElse(null);
            List<Node> below = children(levels, buckets, path);
            BigDecimal allocated = own == null ? BigDecimal.ZERO : own.allocated();
            BigDecimal consumed = own == null ? BigDecimal.ZERO : own.consumed();
            for (Node child : below) {
                allocated = allocated.add(child.totalAllocated());
                consumed = consumed.add(child.totalConsumed());
            }
            String level = depth < levels.size() ? levels.get(depth) : "g" + depth;
            nodes.add(new Node(level, value, own, allocated, consumed, below));
        }
        return nodes;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
