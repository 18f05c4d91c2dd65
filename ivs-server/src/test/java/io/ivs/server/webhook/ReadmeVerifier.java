package io.ivs.server.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The signature verifier that README ("Webhooks") shows to receivers, taken from the README
 * text, compiled and loaded, so that the tests check the documented code itself.
 */
final class ReadmeVerifier {
    private static final String START = "<!-- webhook-verifier:start -->";
    private static final String END = "<!-- webhook-verifier:end -->";
    private static final String CLASS = "StandardWebhookVerifier";
    private static Method verify;

    private ReadmeVerifier() {}

    static boolean verify(
            String secret,
            String id,
            String timestamp,
            String signatures,
            byte[] body,
            long now,
            long tolerance) {
        try {
            return (Boolean)
                    method().invoke(null, secret, id, timestamp, signatures, body, now, tolerance);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Java code between the README markers, without the Markdown fence. */
    static String source() {
        Path readme = Path.of("..", "README.md");
        if (!Files.exists(readme)) {
            readme = Path.of("README.md");
        }
        try {
            String text = Files.readString(readme, StandardCharsets.UTF_8);
            int start = text.indexOf(START);
            int end = text.indexOf(END);
            if (start < 0 || end < start) {
                throw new IllegalStateException("README.md has no webhook verifier example");
            }
            String block = text.substring(start + START.length(), end).strip();
            return block.replaceFirst("^```java\\s*", "").replaceFirst("```$", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Method method() {
        if (verify != null) {
            return verify;
        }
        try {
            Path dir = Files.createTempDirectory("ivs-readme-verifier-");
            Path file = dir.resolve(CLASS + ".java");
            Files.writeString(file, source(), StandardCharsets.UTF_8);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int status = compiler.run(null, null, null, "-d", dir.toString(), file.toString());
            if (status != 0) {
                throw new IllegalStateException("the README verifier does not compile");
            }
            URLClassLoader loader = new URLClassLoader(
                    new URL[] {dir.toUri().toURL()}, ReadmeVerifier.class.getClassLoader());
            verify = loader.loadClass(CLASS)
                    .getMethod(
                            "verify",
                            String.class,
                            String.class,
                            String.class,
                            String.class,
                            byte[].class,
                            long.class,
                            long.class);
            return verify;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
