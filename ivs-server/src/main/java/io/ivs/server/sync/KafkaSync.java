package io.ivs.server.sync;

/** A full sync fed from Kafka, with the name its producer gave it ({@code ivs-sync-id}). */
public record KafkaSync(String name, FullSync sync) {}
