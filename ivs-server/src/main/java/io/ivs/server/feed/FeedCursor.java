package io.ivs.server.feed;

/**
 * Where one consumer of the change feed has read to in one environment.
 *
 * @param consumer what reads: {@code webhook}, {@code kafka}, {@code summary}
 * @param subscription which of several consumers of that kind (a webhook subscription's id);
 *     empty when the kind has one consumer per environment
 * @param position the last position the consumer has handled
 */
public record FeedCursor(
        String consumer, String environmentId, String subscription, long position) {}
