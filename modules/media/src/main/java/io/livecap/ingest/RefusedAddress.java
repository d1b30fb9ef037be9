package io.livecap.ingest;

import java.io.IOException;

/** A pull (or one of its redirects, playlists or segments) would connect to an address {@link PullNetworks} refuses. */
public final class RefusedAddress extends IOException {

    public RefusedAddress(String message) {
        super(message);
    }
}
