package dev.releaseconsole.services.model;

public enum Strategy {
    CANARY("Canary"), BLUE_GREEN("BlueGreen"), FLAGGER_CANARY("Flagger canary");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
