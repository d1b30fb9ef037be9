package io.livecap.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How pulls retry, give up and check TLS ({@code ingest.pull_*} and {@code ingest.tls_*} in livecap.yaml).
 *
 * @param backoff               the wait between attempts
 * @param failAfterAttempts     permanent errors in a row (unknown host, 404, 401/403, TLS) before {@code failed}
 * @param failWithoutAudioAfter no audio for this long (from the start, or since audio last flowed) is
 *                              {@code failed}; zero = never
 * @param tlsVerify             check the certificate (chain and host name) of https, wss and rtmps sources
 * @param tlsCaFile             a PEM file of CAs to trust instead of the system's (tests, labs), or null
 * @param networks              the addresses pulls may connect to ({@code ingest.allowed_networks})
 */
public record PullSettings(Backoff backoff, int failAfterAttempts, Duration failWithoutAudioAfter,
                           boolean tlsVerify, Path tlsCaFile, PullNetworks networks) {

    /** Production's: public addresses only. */
    public static final PullSettings DEFAULT = new PullSettings(Backoff.DEFAULT, 5, Duration.ofMinutes(15), true,
            null);

    /** Public addresses only. */
    public PullSettings(Backoff backoff, int failAfterAttempts, Duration failWithoutAudioAfter, boolean tlsVerify,
                        Path tlsCaFile) {
        this(backoff, failAfterAttempts, failWithoutAudioAfter, tlsVerify, tlsCaFile, PullNetworks.PUBLIC_ONLY);
    }

    public PullSettings {
        networks = networks == null ? PullNetworks.PUBLIC_ONLY : networks;
        if (failAfterAttempts < 1) {
            throw new IllegalArgumentException("pull_fail_after_attempts must be at least 1, not " + failAfterAttempts);
        }
        if (failWithoutAudioAfter.isNegative()) {
            throw new IllegalArgumentException("pull_fail_without_audio_seconds must not be negative");
        }
        if (tlsCaFile != null && !Files.isReadable(tlsCaFile)) {
            throw new IllegalArgumentException("tls_ca_file " + tlsCaFile + " is not a readable file");
        }
    }

    public PullSettings withBackoff(Backoff other) {
        return new PullSettings(other, failAfterAttempts, failWithoutAudioAfter, tlsVerify, tlsCaFile, networks);
    }

    public PullSettings withNetworks(PullNetworks other) {
        return new PullSettings(backoff, failAfterAttempts, failWithoutAudioAfter, tlsVerify, tlsCaFile, other);
    }
}
