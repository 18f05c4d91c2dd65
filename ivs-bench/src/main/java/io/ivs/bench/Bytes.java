package io.ivs.bench;

/** Byte-level helpers: answers are checked without parsing them, to keep the client cheap. */
final class Bytes {
    private Bytes() {}

    /** Non-overlapping occurrences of {@code needle} in {@code haystack}. */
    static int count(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            throw new IllegalArgumentException("empty needle");
        }
        int found = 0;
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            found++;
            i += needle.length - 1;
        }
        return found;
    }
}
