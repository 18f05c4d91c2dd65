/**
 * The command line of IVS ({@code bin/ivs clients}, {@code keys}, {@code export},
 * {@code import}): each command signs in to a running IVS over HTTP as any client does and calls
 * its API, so it works against any server the operator can reach. It uses no Spring and no server
 * code; the import converts rows with the core's import package, as the console does.
 *
 * <p>Exit codes: 0 done; 1 refused (the server answered 4xx, the output file cannot be
 * written, or an import refused rows); 2 usage error (bad options, missing credentials); 3 the
 * server cannot be reached, answered 5xx, or a download broke off, so a retry may succeed.
 */
@NullMarked
package io.ivs.cli;

import org.jspecify.annotations.NullMarked;
