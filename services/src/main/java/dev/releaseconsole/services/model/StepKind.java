package dev.releaseconsole.services.model;

public enum StepKind {
    SET_WEIGHT, PAUSE, ANALYSIS, EXPERIMENT, SET_CANARY_SCALE, UNKNOWN
}
