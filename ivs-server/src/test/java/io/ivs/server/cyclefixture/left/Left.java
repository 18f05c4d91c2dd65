package io.ivs.server.cyclefixture.left;

import io.ivs.server.cyclefixture.right.Right;

/** Half of a deliberate package cycle, for ModularityTest's proof that its cycle rule can fail. */
public final class Left {
    private Left() {}

    public static int size() {
        return Right.size() + 1;
    }
}
