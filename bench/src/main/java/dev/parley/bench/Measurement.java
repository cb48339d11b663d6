package dev.parley.bench;

/** One run of one subject at one payload size: throughput and latency percentiles. */
public record Measurement(double messagesPerSecond, double p50Micros, double p99Micros) {
}
