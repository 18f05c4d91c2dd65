package io.ivs.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based UUIDs, the same as {@link UUID#nameUUIDFromBytes} gives (version 3, MD5), from a
 * prototype digest that is copied for each name. {@code nameUUIDFromBytes} looks the MD5
 * algorithm up among the security providers on every call, and an index query of 100 products
 * computes 100 product keys: that look-up was 4 % of such an answer's time
 * (docs/performance.md, 2026-12-07).
 */
public final class NameUuids {
    private static final MessageDigest MD5 = md5();

    private NameUuids() {}

    /** The name-based UUID of a name's UTF-8 bytes. */
    public static UUID of(String name) {
        byte[] hash = digest().digest(name.getBytes(StandardCharsets.UTF_8));
        // Version 3 and the IETF variant, as RFC 4122 (and nameUUIDFromBytes) set them.
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash);
        return new UUID(bits.getLong(), bits.getLong());
    }

    private static MessageDigest digest() {
        try {
            return (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            // A provider whose digests cannot be copied: one look-up per name, as the JDK does.
            return md5();
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new InternalError("MD5 not supported", e);
        }
    }
}
