/**
 * The runtime configuration model (data sources, measures, partition rule, index sets) and its
 * validation.
 */
@NullMarked
package io.ivs.core.config;

import org.jspecify.annotations.NullMarked;
