package io.livecap.cli;

/**
 * {@code livecap demo --reach}: a whole Kaltura REACH Live event rehearsed against a fake partner. The sandbox module
 * provides it through {@link java.util.ServiceLoader}; a build without the sandbox says so instead.
 */
public interface Rehearsal {

    /** Runs the rehearsal on the named engine (null: auto) and answers the process's exit code. */
    int run(String engine) throws Exception;
}
