/** The IVS server: a Spring Boot application around the framework-free core. */
@NullMarked
package io.ivs.server;

import org.jspecify.annotations.NullMarked;
