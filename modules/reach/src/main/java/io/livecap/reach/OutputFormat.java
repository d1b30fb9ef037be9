package io.livecap.reach;

/**
 * A caption file format: the catalog item's {@code outputFormat} ({@code VendorCatalogItemOutputFormat}) and a caption
 * asset's {@code format} ({@code CaptionType}, sent as a string) share these codes.
 */
public enum OutputFormat {
    SRT(1, "srt"),
    DFXP(2, "dfxp"),
    VTT(3, "vtt");

    private final int code;
    private final String fileExtension;
    OutputFormat(int code, String fileExtension) {
        this.code = code;
        this.fileExtension = fileExtension;
    }

    public int code() {
        return code;
    }

    public String fileExtension() {
        return fileExtension;
    }

    public static OutputFormat of(int code) {
        for (OutputFormat format : values()) {
            if (format.code == code) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown REACH output format " + code + " (1 SRT, 2 DFXP, 3 VTT)");
    }
}
