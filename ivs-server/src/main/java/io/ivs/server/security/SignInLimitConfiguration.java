package io.ivs.server.security;

import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers {@link SignInLimitFilter} as a servlet filter of its own, ahead of Spring Security's
 * chain (so a refused sign-in reaches no authentication code) and behind the filter that makes
 * request paths canonical.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SignInLimitSettings.class)
public class SignInLimitConfiguration {
    static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /**
     * @param ticker the limits' clock: the system's, unless a test supplies a {@link Ticker} that
     *     it moves by hand
     */
    @Bean
    FilterRegistrationBean<SignInLimitFilter> signInLimitFilter(
            SignInLimitSettings settings, MeterRegistry meters, ObjectProvider<Ticker> ticker) {
        SignInLimiter limiter =
                new SignInLimiter(settings, ticker.getIfAvailable(Ticker::systemTicker));
        FilterRegistrationBean<SignInLimitFilter> registration =
                new FilterRegistrationBean<>(new SignInLimitFilter(limiter, settings, meters));
        registration.setName("signInLimitFilter");
        registration.setOrder(FILTER_ORDER);
        registration.addUrlPatterns("/*");
        registration.setEnabled(settings.enabled());
        return registration;
    }
}
