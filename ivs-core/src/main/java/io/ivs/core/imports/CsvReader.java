package io.ivs.core.imports;

import org.jspecify.annotations.Nullable;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: fields separated by commas, optionally in double quotes (a quote
 * inside doubled), records ended by LF or CRLF. A quoted field may span lines; the record then
 * keeps the number of the line it started on. Holds one record in memory at a time, and refuses
 * a record longer than {@link #RECORD_CHARS_MAX} rather than reading the rest of a broken file
 * into memory.
 */
public final class CsvReader implements Closeable {
    public static final int RECORD_CHARS_MAX = 1 << 20;

    private final BufferedReader in;
    private long nextLine = 1;

    public CsvReader(Reader in) {
        this.in =
                in instanceof BufferedReader buffered ? buffered : new BufferedReader(in, 1 << 16);
    }

    /** The next record, or null at the end of the input. Blank lines are skipped. */
    public @Nullable CsvRecord next() throws IOException {
        String first;
        do {
            first = in.readLine();
            if (first == null) {
                return null;
            }
            nextLine++;
        } while (first.isBlank());
        long line = nextLine - 1;
        StringBuilder text = new StringBuilder(first);
        List<String> fields = new ArrayList<>();
        String malformed = parse(text, fields);
        while (UNCLOSED.equals(malformed)) {
            String more = text.length() > RECORD_CHARS_MAX ? null : in.readLine();
            if (more == null) {
                return new CsvRecord(line, fields, text.toString(), "a quoted field is not closed");
            }
            nextLine++;
            text.append('\n').append(more);
            fields.clear();
            malformed = parse(text, fields);
        }
        return new CsvRecord(line, fields, text.toString(), malformed);
    }

    private static final String UNCLOSED = "unclosed";

    /** Splits {@code text} into {@code fields}; answers null, why it is malformed, or UNCLOSED. */
    private static @Nullable String parse(CharSequence text, List<String> fields) {
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            field.setLength(0);
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        return UNCLOSED;
                    }
                    char c = text.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < n && text.charAt(i) != ',') {
                    fields.add(field.toString());
                    return "text after the closing quote of field " + fields.size();
                }
            } else {
                while (i < n && text.charAt(i) != ',') {
                    field.append(text.charAt(i++));
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return null;
            }
            i++;
        }
    }

    /** One field as CSV: quoted when it holds a comma, a quote or a line break. */
    public static String quote(String field) {
        boolean plain =
                field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return plain ? field : '"' + field.replace("\"", "\"\"") + '"';
    }

    /** A record as one CSV line. */
    public static String join(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(quote(fields.get(i)));
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
