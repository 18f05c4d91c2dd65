package io.ivs.server.wiring;

import io.ivs.core.allocation.AllocationService;
import io.ivs.core.allocation.AllocationStore;
import io.ivs.core.atp.AtpService;
import io.ivs.core.atp.ScheduleStore;
import io.ivs.core.environment.Configurations;
import io.ivs.core.onhand.OnHandService;
import io.ivs.core.onhand.OnHandStore;
import io.ivs.core.reservation.ReservationService;
import io.ivs.core.reservation.ReservationStore;
import io.ivs.server.environment.EnvironmentService;
import io.ivs.server.inventorylog.RequestCarrier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Constructs the core services and runs start-up tasks. */
@Configuration(proxyBeanMethods = false)
public class CoreWiring {
    private static final Logger log = LoggerFactory.getLogger(CoreWiring.class);

    /**
     * Stamps sets that carry no observation time (A5); small change requests run combined, each
     * with its own log context ({@link RequestCarrier}).
     */
    @Bean
    OnHandService onHandService(
            OnHandStore store,
            Configurations configurations,
            Clock clock,
            RequestCarrier requests) {
        return new OnHandService(store, configurations, clock, requests);
    }

    /**
     * Today's UTC date decides the schedule window, and the time stands for the observation time
     * of sets that carry none; tests replace this clock to move both.
     */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AtpService atpService(
            OnHandStore store,
            ScheduleStore schedules,
            Configurations configurations,
            Clock clock) {
        return new AtpService(store, schedules, configurations, clock);
    }

    @Bean
    AllocationService allocationService(AllocationStore store, Configurations configurations) {
        return new AllocationService(store, configurations);
    }

    /** The clock decides when holds lapse and what their time to live counts from. */
    @Bean
    ReservationService reservationService(
            ReservationStore store,
            Configurations configurations,
            Clock clock,
            RequestCarrier requests) {
        return new ReservationService(store, configurations, clock, requests);
    }

    /** {@code IVS_DEFAULT_ENVIRONMENT} creates that environment with the default configuration. */
    @Bean
    ApplicationRunner defaultEnvironment(
            EnvironmentService environments,
            @Value("${ivs.default-environment:}") String environmentId) {
        return args -> {
            if (!environmentId.isBlank() && environments.create(environmentId.strip())) {
                log.info("created environment '{}' with the default configuration", environmentId);
            }
        };
    }
}
