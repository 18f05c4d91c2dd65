package io.ivs.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One read of a running IVS's {@code /actuator/prometheus}, in the Prometheus text format, parsed
 * into samples: a metric name, its labels and its value.
 */
public final class PrometheusScrape {
    /** One line of the exposition. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** Reads the endpoint of the IVS listening on {@code port} (it needs no token). */
    public static PrometheusScrape of(int port) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                            .header("Accept", "text/plain")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("/actuator/prometheus answered " + response.statusCode()
                        + ": " + response.body());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new AssertionError("/actuator/prometheus could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher label = LABEL.matcher(m.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, number(m.group(4))));
        }
        return new PrometheusScrape(samples);
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every metric name that has at least one sample. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels}. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " match " + labels);
        }
        return found.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(found.get(0).value());
    }
}
