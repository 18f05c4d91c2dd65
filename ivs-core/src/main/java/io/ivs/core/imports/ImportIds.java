package io.ivs.core.imports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Event ids for rows without an {@code id} column: derived from the file's bytes, the mode, the
 * data source and the row's line, so the same file imported again (or resumed after a crash)
 * sends the same ids and the server's idempotency answers the replay, while a different file,
 * even one with an identical row at the same line, gets new ids.
 */
public final class ImportIds {
    /** Hex characters of the file-and-mode digest kept in each id (80 bits). */
    static final int PREFIX_HEX_CHARS = 20;

    private final String prefix;

    private ImportIds(String prefix) {
        this.prefix = prefix;
    }

    /**
     * @param fileSha256 the SHA-256 of the file's bytes
     */
    public static ImportIds of(byte[] fileSha256, ImportMode mode, String dataSource) {
        MessageDigest digest = sha256();
        digest.update(fileSha256);
        digest.update((mode.wireName() + '\u0000' + dataSource).getBytes(StandardCharsets.UTF_8));
        String hex = HexFormat.of().formatHex(digest.digest());
        return new ImportIds("imp-" + hex.substring(0, PREFIX_HEX_CHARS));
    }

    public String id(long line) {
        return prefix + '-' + line;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
