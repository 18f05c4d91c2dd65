package io.ivs.server.inventorylog;

import io.ivs.server.web.RequestIdFilter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Opens an {@link InventoryLogContext} around every write to the API and the console (any method
 * but GET and HEAD), after security has named the caller. The API is the route as mapped, e.g.
 * {@code onhand/bulk} or {@code setonhand/{inventorySystem}/bulk}; a console write is named
 * {@code console/} and its page, e.g. {@code console/adjustments}. With {@code
 * ivs.inventory-log.enabled=false} no context is opened and nothing is logged.
 */
@Configuration(proxyBeanMethods = false)
class InventoryLogInterceptor implements HandlerInterceptor, WebMvcConfigurer {
    static final String API_PREFIX = "/api/environment/{environmentId}/";
    private static final String CONSOLE_PREFIX = "/console/env/{env}/";
    private static final String SCOPE_ATTRIBUTE = InventoryLogInterceptor.class.getName();

    private final boolean enabled;

    InventoryLogInterceptor(@Value("${ivs.inventory-log.enabled:true}") boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        if (enabled) {
            registry.addInterceptor(this).addPathPatterns("/api/environment/**", "/console/env/**");
        }
    }

    @Override
    public boolean preHandle(
            HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        InventoryLogContext context =
                new InventoryLogContext(api(request), clientId(), requestId(response));
        request.setAttribute(SCOPE_ATTRIBUTE, context.open());
        return true;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request,
            HttpServletResponse response,
            Object handler,
            @Nullable Exception failure) {
        if (request.getAttribute(SCOPE_ATTRIBUTE) instanceof InventoryLogContext.Scope scope) {
            request.removeAttribute(SCOPE_ATTRIBUTE);
            scope.close();
        }
    }

    private static String api(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String route = pattern == null ? request.getRequestURI() : pattern.toString();
        if (route.startsWith(CONSOLE_PREFIX)) {
            return "console/" + route.substring(CONSOLE_PREFIX.length());
        }
        return route.startsWith(API_PREFIX) ? route.substring(API_PREFIX.length()) : route;
    }

    private static String clientId() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller == null ? "" : caller.getName();
    }

    private static String requestId(HttpServletResponse response) {
        String id = MDC.get(RequestIdFilter.MDC_KEY);
        if (id == null) {
            id = response.getHeader(RequestIdFilter.HEADER);
        }
        return id == null ? "" : id;
    }
}
