package io.ivs.core.environment;

import io.ivs.core.config.RuntimeConfiguration;

/**
 * The active runtime configuration of each environment. The use cases load it themselves, so
 * that no caller can hand them a configuration of another environment or an outdated one.
 */
public interface Configurations {
    /** The active configuration; the implementation refuses an environment that does not exist. */
    RuntimeConfiguration configuration(EnvironmentId environmentId);
}
