package io.infergate.gateway.api;

/** The client sent something the gateway cannot route; answered with 400 and this message. */
public final class BadRequestException extends Exception {

    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
