/**
 * The typed OpenAPI document: the schemas, examples, tags and operation ids of every public
 * route, kept in {@code resources/openapi/ivs-api.yaml} and merged into what springdoc discovers
 * from the controllers. It knows no feature; clients are generated from the document it yields.
 */
@NullMarked
package io.ivs.server.openapi;

import org.jspecify.annotations.NullMarked;
