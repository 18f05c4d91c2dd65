/**
 * Environments: the rule for their ids and the rules a configuration change must keep while the
 * environment holds data (spec §3.7).
 */
@NullMarked
package io.ivs.core.environment;

import org.jspecify.annotations.NullMarked;
