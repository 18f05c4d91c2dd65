package io.ivs.server.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;

/**
 * The console's scripts and styles, all under {@code /console/assets/}: its own files from
 * {@code static/console/assets/} and the charting library from its webjar, so that every
 * console URL goes through the console's filter chain and none needs an API token.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {
    /** The echarts webjar's version (pom: echarts-webjar.version). */
    static final String ECHARTS_VERSION = "5.3.1";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/echarts/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/echarts/"
                        + ECHARTS_VERSION + "/dist/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(1)));
    }
}
