package io.ivs.cli;

/**
 * Counts the records of RFC 4180 CSV as its bytes go by: a line break ends a record unless it is
 * inside a quoted field (a quote inside a field is doubled, which toggles twice and so changes
 * nothing). Works on UTF-8 bytes, where a quote or a line feed never occurs inside a multi-byte
 * character.
 */
final class CsvRecords {
    private boolean quoted;
    private long records;
    /** Whether bytes came since the last record ended (a last record without a line break). */
    private boolean open;

    void accept(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (b == '"') {
                quoted = !quoted;
                open = true;
            } else if (b == '\n' && !quoted) {
                records++;
                open = false;
            } else {
                open = true;
            }
        }
    }

    /** Records after the header line (never negative while the header is still coming). */
    long rows() {
        return Math.max(0, records() - 1);
    }

    /** Every record so far, the header included, counting an unterminated last one. */
    long records() {
        return records + (open ? 1 : 0);
    }
}
