package io.ivs.server.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the bearer token in the OpenAPI document, so that Swagger UI's "Authorize" button
 * sends it. The document itself stays open (see {@link SecurityConfiguration#OPEN_PATHS}).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiSecurity {
    static final String SCHEME = "bearer";

    @Bean
    OpenApiCustomizer bearerTokenScheme() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSecuritySchemes(
                            SCHEME,
                            new SecurityScheme()
                                    .type(SecurityScheme.Type.HTTP)
                                    .scheme("bearer")
                                    .bearerFormat("JWT")
                                    .description("An access token from POST /token"));
            openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
        };
    }
}
