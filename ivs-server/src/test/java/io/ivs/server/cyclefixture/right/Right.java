package io.ivs.server.cyclefixture.right;

import io.ivs.server.cyclefixture.left.Left;

/** The other half of the deliberate package cycle (see Left). */
public final class Right {
    private Right() {}

    public static int size() {
        return 1;
    }

    public static int leftSize() {
        return Left.size();
    }
}
