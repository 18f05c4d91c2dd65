package io.ivs.server.console;

import io.ivs.core.InvalidInputException;
import io.ivs.server.web.ConfigurationRejectedException;
import io.ivs.server.web.UnknownEnvironmentException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;

import java.util.stream.Collectors;

/**
 * The failures every console page answers the same way, as an error page (not the API's JSON):
 * bad input is 400 naming the field, an environment that does not exist or is not granted is
 * 404, a missing role is 403, and a revoked client is signed out. Handlers declared here take
 * precedence over the API's global exception handler for the console's controllers.
 */
abstract class ConsoleController {
    private static final Logger log = LoggerFactory.getLogger(ConsoleController.class);
    static final String ERROR_VIEW = "console/error";

    @ExceptionHandler(ConsoleAccess.SessionEndedException.class)
    String sessionEnded(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return "redirect:" + ConsoleSecurityConfiguration.LOGIN_PAGE + "?ended";
    }

    @ExceptionHandler(ConsoleAccess.ForbiddenException.class)
    String forbidden(RuntimeException e, HttpServletResponse response, Model model) {
        return error(response, model, 403, "Not allowed", e.getMessage());
    }

    @ExceptionHandler(UnknownEnvironmentException.class)
    String unknownEnvironment(HttpServletResponse response, Model model) {
        return error(
                response,
                model,
                404,
                "Environment not found",
                "This environment does not exist or your client is not granted it.");
    }

    @ExceptionHandler({
        InvalidInputException.class,
        MissingServletRequestParameterException.class,
        MethodArgumentTypeMismatchException.class
    })
    String badInput(Exception e, HttpServletResponse response, Model model) {
        return error(response, model, 400, "Invalid input", e.getMessage());
    }

    @ExceptionHandler(BindException.class)
    String badForm(BindException e, HttpServletResponse response, Model model) {
        String fields = e.getFieldErrors().stream()
                .map(error -> error.getField() + ": '" + error.getRejectedValue()
                        + "' is not a valid value")
                .collect(Collectors.joining("; "));
        return error(response, model, 400, "Invalid input", fields);
    }

    @ExceptionHandler(ConfigurationRejectedException.class)
    String rejected(ConfigurationRejectedException e, HttpServletResponse response, Model model) {
        return error(
                response,
                model,
                e.status(),
                "Configuration rejected",
                String.join("; ", e.problems()));
    }

    /** An admin service's own answer (a webhook subscription that does not exist: 404). */
    @ExceptionHandler(ResponseStatusException.class)
    String statusAnswer(ResponseStatusException e, HttpServletResponse response, Model model) {
        int status = e.getStatusCode().value();
        return error(
                response, model, status, status == 404 ? "Not found" : "Refused", e.getReason());
    }

    @ExceptionHandler(RuntimeException.class)
    String unexpected(RuntimeException e, HttpServletResponse response, Model model) {
        log.error("console request failed", e);
        return error(
                response,
                model,
                500,
                "Something went wrong",
                "The server could not complete this request; the log has the details.");
    }

    /** The message may be null: not every exception has one, and the page then shows none. */
    static String error(
            HttpServletResponse response,
            Model model,
            int status,
            String title,
            @Nullable String message) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("title", title);
        model.addAttribute("message", message);
        return ERROR_VIEW;
    }
}
