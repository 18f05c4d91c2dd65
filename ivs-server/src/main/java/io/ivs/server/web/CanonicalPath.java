package io.ivs.server.web;

import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one spelling of a request path that routing, access rules and every filter see.
 *
 * <p>A path reaches IVS in many spellings: {@code /%61dmin/clients} is {@code /admin/clients}
 * to Spring MVC, which decodes before it matches, but not to a rule that reads the raw text.
 * When routing and access rules read different spellings, a caller can be routed to an endpoint
 * that the rules never saw. So the raw path is parsed once, here: spellings that mean one thing
 * are brought to one form (letters decoded, one trailing slash dropped, the case of fixed
 * segments taken from the route table by {@link RouteSpellings}), and spellings that could mean
 * two things are refused ({@link Refused}).
 *
 * <p>Refused: an encoded {@code /} or {@code \}, a {@code \} at all, {@code ;} path parameters,
 * an empty segment ({@code //}), a {@code .} or {@code ..} segment (plain or encoded), an
 * encoded {@code %} (double encoding), control characters, a malformed escape or bytes that are
 * not UTF-8.
 */
public final class CanonicalPath {
    /** Longest path IVS reads; anything longer is refused before it is decoded. */
    static final int LENGTH_MAX = 8192;

    private final List<String> segments;

    private CanonicalPath(List<String> segments) {
        this.segments = List.copyOf(segments);
    }

    /** A path that was refused, with the reason to answer. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }

        /** Never null: this exception is always made with a message. */
        @Override
        public String getMessage() {
            return Objects.requireNonNull(super.getMessage());
        }
    }

    /**
     * Parses a raw, still encoded path (the request URI without the context path and query).
     *
     * @throws Refused when the path is ambiguous or malformed
     */
    public static CanonicalPath parse(String raw) throws Refused {
        if (raw.length() > LENGTH_MAX) {
            throw new Refused("path: longer than " + LENGTH_MAX + " characters");
        }
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw new Refused("path: must start with /");
        }
        String body =
                raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        if (body.length() < raw.length() && body.endsWith("/")) {
            throw new Refused("path: empty segment (//) is ambiguous");
        }
        List<String> segments = new ArrayList<>();
        if (!body.equals("/")) {
            int start = 1;
            while (start <= body.length()) {
                int end = body.indexOf('/', start);
                if (end < 0) {
                    end = body.length();
                }
                segments.add(decodeSegment(body.substring(start, end)));
                start = end + 1;
            }
        }
        return new CanonicalPath(segments);
    }

    /** The decoded segments, in order; no segment is empty, {@code .} or {@code ..}. */
    public List<String> segments() {
        return segments;
    }

    /** The same path with other segments (as {@link RouteSpellings} gives them). */
    CanonicalPath withSegments(List<String> respelled) {
        return new CanonicalPath(respelled);
    }

    /** The decoded path, e.g. {@code /api/environment/demo/onhand}: what access rules read. */
    public String decoded() {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        return path.toString();
    }

    /** The path encoded again, each character written plainly where RFC 3986 allows it. */
    public String encoded() {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/');
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (isPlain(c)) {
                    path.append((char) c);
                } else {
                    path.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
        }
        return path.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * RFC 3986 pchar without {@code %}, and without {@code ;}, which Servlet reads as a
     * parameter.
     */
    private static boolean isPlain(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
    }

    private static String decodeSegment(String raw) throws Refused {
        if (raw.isEmpty()) {
            throw new Refused("path: empty segment (//) is ambiguous");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int value = escape(raw, i);
                if (value == '/' || value == '\\' || value == '%' || value == ';') {
                    throw new Refused("path: encoded '" + (char) value + "' is ambiguous");
                }
                bytes.write(value);
                i += 2;
            } else if (c == ';') {
                throw new Refused("path: path parameters (;) are not accepted");
            } else if (c == '\\') {
                throw new Refused("path: '\\' is ambiguous");
            } else if (c < 0x21 || c >= 0x7f) {
                throw new Refused("path: control, space or non-ASCII characters must be encoded");
            } else {
                bytes.write(c);
            }
        }
        String segment = utf8(bytes.toByteArray());
        if (segment.equals(".") || segment.equals("..")) {
            throw new Refused("path: '.' and '..' segments are ambiguous");
        }
        for (int i = 0; i < segment.length(); i++) {
            if (Character.isISOControl(segment.charAt(i))) {
                throw new Refused("path: control characters are not accepted");
            }
        }
        return segment;
    }

    private static int escape(String raw, int at) throws Refused {
        if (at + 2 >= raw.length()) {
            throw new Refused("path: malformed escape at the end");
        }
        int high = Character.digit(raw.charAt(at + 1), 16);
        int low = Character.digit(raw.charAt(at + 2), 16);
        if (high < 0 || low < 0) {
            throw new Refused("path: malformed escape '" + raw.substring(at, at + 3) + "'");
        }
        return high << 4 | low;
    }

    private static String utf8(byte[] bytes) throws Refused {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refused("path: escapes that are not UTF-8");
        }
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof CanonicalPath path && path.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public String toString() {
        return encoded();
    }
}
