package io.livecap.reach;

/** Kaltura's {@code VendorServiceType}: who does the work. */
public enum ServiceType {
    HUMAN(1),
    MACHINE(2);

    private final int code;

    ServiceType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ServiceType of(int code) {
        for (ServiceType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown service type " + code);
    }
}
