package io.livecap.captions;

/**
 * A subtitle file format livecap delivers. The codes are REACH's catalog item {@code outputFormat}
 * ({@code VendorCatalogItemOutputFormat}).
 */
public enum SubtitleFormat {
    SRT(1, "srt", "application/x-subrip"),
    DFXP(2, "dfxp", "application/ttml+xml"),
    VTT(3, "vtt", "text/vtt");

    private final int reachCode;
    private final String fileExtension;
    private final String mediaType;

    SubtitleFormat(int reachCode, String fileExtension, String mediaType) {
        this.reachCode = reachCode;
        this.fileExtension = fileExtension;
        this.mediaType = mediaType;
    }

    public int reachCode() {
        return reachCode;
    }

    public String fileExtension() {
        return fileExtension;
    }

    /** The media type of the file; the text is always UTF-8. */
    public String mediaType() {
        return mediaType;
    }

    /** @throws IllegalArgumentException for a code REACH does not define */
    public static SubtitleFormat fromReachCode(int code) {
        for (SubtitleFormat format : values()) {
            if (format.reachCode == code) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown REACH output format " + code + " (1 SRT, 2 DFXP, 3 VTT)");
    }
}
