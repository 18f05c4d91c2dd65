package io.ivs.server.web;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Registers {@link CanonicalPathFilter} ahead of every other filter, Spring Security's too, and
 * routes controllers through {@link ShortlistHandlerMapping}.
 */
@Configuration(proxyBeanMethods = false)
class CanonicalPathConfiguration {
    @Bean
    FilterRegistrationBean<CanonicalPathFilter> canonicalPathFilter(ApplicationContext context) {
        FilterRegistrationBean<CanonicalPathFilter> registration =
                new FilterRegistrationBean<>(new CanonicalPathFilter(context));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    WebMvcRegistrations shortlistHandlerMapping() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new ShortlistHandlerMapping();
            }
        };
    }
}
