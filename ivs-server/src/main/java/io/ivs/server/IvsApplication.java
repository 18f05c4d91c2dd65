package io.ivs.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts IVS: the HTTP API on the configured port, backed by PostgreSQL. */
@SpringBootApplication
public class IvsApplication {
    public static void main(String[] args) {
        SpringApplication.run(IvsApplication.class, args);
    }
}
