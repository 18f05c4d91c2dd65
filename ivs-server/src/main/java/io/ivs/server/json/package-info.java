/** Reading JSON request bodies case-insensitively with field-naming errors. */
@NullMarked
package io.ivs.server.json;

import org.jspecify.annotations.NullMarked;
