package dev.releaseconsole.services.model;

/** Which way a metric is bad: error ratio and latency when they go up, a success ratio when it goes down. */
public enum Direction {
    INCREASE_IS_BAD, DECREASE_IS_BAD
}
