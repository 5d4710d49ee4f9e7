package dev.releaseconsole.services.model;

import java.time.Instant;

/** An entry of status.pauseConditions: reason (CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun, ...) and since when. */
public record PauseCondition(String reason, Instant startTime) {
    public static final String CANARY_PAUSE_STEP = "CanaryPauseStep";
    public static final String BLUE_GREEN_PAUSE = "BlueGreenPause";
    public static final String INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysisRun";
}
