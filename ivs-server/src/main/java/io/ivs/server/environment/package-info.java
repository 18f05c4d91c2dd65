/** Environments and their runtime configuration: parsing, validation, versions, storage. */
@NullMarked
package io.ivs.server.environment;

import org.jspecify.annotations.NullMarked;
