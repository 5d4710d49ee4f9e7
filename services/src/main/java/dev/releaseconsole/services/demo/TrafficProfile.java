package dev.releaseconsole.services.demo;

/**
 * A service's normal traffic: total requests per second, the share of requests that fail (a fraction), its p95
 * latency in milliseconds and the share of requests that end in a checkout (a fraction).
 */
record TrafficProfile(double requestsPerSecond, double errorRatio, double p95Millis, double conversion) {
}
