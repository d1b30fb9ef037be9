package io.livecap.config;

/** A configuration that cannot be used; the message names the setting and where it came from. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
