package io.ivs.server.web;

import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Some malformed requests never reach IVS's code: Tomcat refuses a path holding {@code %00},
 * {@code %2F} or bytes that are not UTF-8 while parsing it, and answers with its HTML error
 * page. This replaces that page with the answer every other failure gets (DESIGN D9): IV's
 * envelope under {@code /api}, a problem detail elsewhere.
 */
@Component
public class ConnectorErrorReports
        implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

    /** After Spring Boot's own customizer, which adds an HTML error report valve. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addContextCustomizers(ConnectorErrorReports::replaceValve);
    }

    private static void replaceValve(Context context) {
        if (!(context.getParent() instanceof StandardHost host)) {
            return;
        }
        boolean present = false;
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof JsonErrorReportValve) {
                present = true;
            } else if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (!present) {
            // The host adds a valve of this class at start unless it already has one.
            host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            host.getPipeline().addValve(new JsonErrorReportValve());
        }
    }

    /** Tomcat's error report valve, answering JSON instead of HTML. */
    public static final class JsonErrorReportValve extends ErrorReportValve {
        @Override
        protected void report(Request request, Response response, @Nullable Throwable failure) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || response.isCommitted()) {
                return;
            }
            HttpStatus resolved = HttpStatus.resolve(status);
            String reason = resolved == null ? "error" : resolved.getReasonPhrase();
            String message =
                    response.getMessage() == null || response.getMessage().isBlank()
                            ? reason
                            : response.getMessage();
            String uri = request.getRequestURI();
            Object body;
            try {
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                if (uri != null && uri.startsWith("/api/")) {
                    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                    body = IvEnvelope.failure(null, status, "request refused: " + message);
                } else {
                    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    Map<String, Object> problem = new LinkedHashMap<>();
                    problem.put("type", "about:blank");
                    problem.put("title", reason);
                    problem.put("status", status);
                    problem.put("detail", "request refused: " + message);
                    body = problem;
                }
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(Json.mapper().writeValueAsString(body));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response is already on its way; nothing to add.
            }
        }
    }
}
