package io.ivs.server.security;

import io.ivs.core.onhand.WriteAccess;

import org.jspecify.annotations.Nullable;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Hands a controller method's {@link WriteAccess} parameter the data sources its caller may
 * write, so that the API's controllers learn it without reading any security class (every API
 * call is checked before it reaches a controller; SecurityArchitectureTest).
 */
@Configuration
class WriteAccessArguments implements WebMvcConfigurer {
    static {
        // Resolved from the caller, never sent by a client: not a parameter of the API document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(WriteAccess.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new Resolver());
    }

    private static final class Resolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == WriteAccess.class;
        }

        @Override
        public Object resolveArgument(
                MethodParameter parameter,
                @Nullable ModelAndViewContainer container,
                NativeWebRequest request,
                @Nullable WebDataBinderFactory binders) {
            return WriteAccesses.of(SecurityContextHolder.getContext().getAuthentication());
        }
    }
}
