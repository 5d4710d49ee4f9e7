package dev.releaseconsole.services.model;

public enum ConnectionState {
    CONNECTING, CONNECTED, UNAUTHORIZED, FORBIDDEN, UNREACHABLE, DISCONNECTED
}
