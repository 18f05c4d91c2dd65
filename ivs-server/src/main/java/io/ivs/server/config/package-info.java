/** Environments and their runtime configuration: parsing, validation, versions. */
@NullMarked
package io.ivs.server.config;

import org.jspecify.annotations.NullMarked;
