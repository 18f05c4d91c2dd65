package io.ivs.server.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The password of the embedded PostgreSQL's superuser and the {@code pg_hba.conf} that demands
 * it. Without them any local user could connect as superuser and read the signing keys. The
 * password is random, kept in {@code <data-dir>/pg-password} (mode 0600, readable by the IVS
 * user only), and reaches PostgreSQL only as a SCRAM-SHA-256 verifier, so it appears in no
 * command line, statement or server log.
 */
final class EmbeddedPassword {
    static final String FILE_NAME = "pg-password";
    static final String HBA = """
            # Written by IVS: every connection needs the superuser's password, kept in
            # <data-dir>/pg-password (docs/operations.md). The server listens on loopback only.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PASSWORD_BYTES = 32;
    private static final int SALT_BYTES = 16;
    /** PostgreSQL's own default ({@code scram_iterations}). */
    private static final int SCRAM_ITERATIONS = 4096;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private EmbeddedPassword() {}

    /** The password in {@code file}, if the file exists; tightens a file others may read. */
    static Optional<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        return password.isEmpty() ? Optional.empty() : Optional.of(password);
    }

    /** A new random password, written to {@code file} with mode 0600 before it is used. */
    static String create(Path file) throws IOException {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(temporary, password + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    /** True when {@code pg_hba.conf} lets any connection in without a password. */
    static boolean trusts(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return true;
        }
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            List<String> words = List.of(content.strip().split("\\s+"));
            if (words.contains("trust")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces {@code pg_hba.conf} in one step, keeping its owner and mode: when IVS runs as root
     * the file belongs to the unprivileged server user, who must still read it.
     */
    static void writeHba(Path hba) throws IOException {
        Path temporary = hba.resolveSibling("pg_hba.conf.ivs-new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(temporary, HBA, StandardCharsets.UTF_8);
        if (Files.exists(hba)) {
            PosixFileAttributes old = Files.readAttributes(hba, PosixFileAttributes.class);
            PosixFileAttributeView view =
                    Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            view.setOwner(old.owner());
            view.setGroup(old.group());
            view.setPermissions(old.permissions());
        }
        Files.move(temporary, hba, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The SCRAM-SHA-256 verifier PostgreSQL stores for {@code password} (RFC 5802, RFC 7677),
     * in PostgreSQL's text form: {@code SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey}.
     * The password is ASCII, which SASLprep leaves as it is.
     */
    static String scramVerifier(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(
                            new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder base64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":" + base64.encodeToString(salt) + "$"
                    + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 is not available in this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }
}
