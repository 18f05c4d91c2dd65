package io.ivs.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Starts IVS: the HTTP API on the configured port, backed by PostgreSQL. */
@SpringBootApplication
@EnableScheduling
public class IvsApplication {
    public static void main(String[] args) {
        SpringApplication.run(IvsApplication.class, args);
    }
}
