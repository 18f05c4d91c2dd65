package io.ivs.server.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UrlPathHelper;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The first filter of every request: it replaces the request's path by its {@link
 * CanonicalPath} before anything reads it, so that Spring Security's rules, IVS's access policy,
 * the other filters and Spring MVC's routing all decide on the same path, the one the handler
 * receives. Ambiguous spellings are refused with 400 here; {@code /error} is not a path callers
 * may ask for (Spring MVC renders errors there).
 *
 * <p>It runs again on async dispatches (the change stream), which Tomcat sends to the path as
 * the caller spelled it.
 */
public final class CanonicalPathFilter implements Filter {
    private static final String ATTRIBUTE = CanonicalPathFilter.class.getName() + ".path";

    private final ApplicationContext context;
    private volatile @Nullable RouteSpellings spellings;

    public CanonicalPathFilter(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String contextPath = request.getContextPath();
        String raw = request.getRequestURI().substring(contextPath.length());
        CanonicalPath path;
        try {
            path = CanonicalPath.parse(raw);
        } catch (CanonicalPath.Refused refused) {
            Refusals.write(request, response, HttpStatus.BAD_REQUEST, refused.getMessage());
            return;
        }
        path = path.withSegments(spellings().respell(path.segments()));
        if (request.getDispatcherType() == DispatcherType.REQUEST
                && path.decoded().equalsIgnoreCase("/error")) {
            Refusals.write(request, response, HttpStatus.NOT_FOUND, "no such endpoint: /error");
            return;
        }
        request.setAttribute(ATTRIBUTE, path.decoded());
        String encoded = path.encoded();
        if (encoded.equals(raw)) {
            chain.doFilter(request, response);
        } else {
            chain.doFilter(new Canonical(request, contextPath, encoded, path.decoded()), response);
        }
    }

    /**
     * The decoded canonical path of a request that passed this filter, for access rules; null
     * for one that did not.
     */
    public static @Nullable String canonicalPath(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String path ? path : null;
    }

    private RouteSpellings spellings() {
        RouteSpellings known = spellings;
        if (known == null) {
            known = new RouteSpellings(routePatterns(context));
            spellings = known;
        }
        return known;
    }

    /** Every path pattern of every handler mapping: controllers, actuator, resources. */
    static Set<String> routePatterns(ApplicationContext context) {
        Set<String> patterns = new LinkedHashSet<>();
        for (HandlerMapping mapping :
                context.getBeansOfType(HandlerMapping.class).values()) {
            if (mapping instanceof RequestMappingInfoHandlerMapping methods) {
                methods.getHandlerMethods()
                        .keySet()
                        .forEach(info -> patterns.addAll(info.getPatternValues()));
            } else if (mapping instanceof AbstractUrlHandlerMapping urls) {
                patterns.addAll(urls.getHandlerMap().keySet());
            }
        }
        return patterns;
    }

    /** The request as the canonical path spells it. */
    private static final class Canonical extends HttpServletRequestWrapper {
        private final String requestUri;
        private final String servletPath;

        Canonical(HttpServletRequest request, String contextPath, String encoded, String decoded) {
            super(request);
            this.requestUri = contextPath + encoded;
            this.servletPath = decoded;
            // Nothing has parsed the path yet; this keeps it so if a container did.
            request.removeAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
            request.removeAttribute(UrlPathHelper.PATH_ATTRIBUTE);
        }

        @Override
        public String getRequestURI() {
            return requestUri;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer();
            url.append(getScheme()).append("://").append(getServerName());
            int port = getServerPort();
            boolean defaultPort = (getScheme().equals("http") && port == 80)
                    || (getScheme().equals("https") && port == 443);
            if (!defaultPort) {
                url.append(':').append(port);
            }
            return url.append(requestUri);
        }

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public @Nullable String getPathInfo() {
            return null;
        }
    }
}
