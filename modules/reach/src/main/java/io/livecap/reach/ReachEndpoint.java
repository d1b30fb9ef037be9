package io.livecap.reach;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Kaltura region as the vendor sees it: its service URL and the vendor's identity and KS there.
 *
 * @param region     the name tasks from this endpoint are keyed by (e.g. {@code us}, {@code eu})
 * @param serviceUrl the API root, e.g. {@code https://www.kaltura.com}; calls go to
 *                   {@code {serviceUrl}/api_v3/service/{service}/action/{action}}
 * @param appVersion the vendor application's version, reported in every call's {@code clientTag}
 */
public record ReachEndpoint(String region, URI serviceUrl, long vendorPartnerId, String vendorName, Secret vendorKs,
                            String appVersion) {

    // clientTag fields are separated by '_', so a field must not contain one
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9.\\-]");

    public ReachEndpoint {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(serviceUrl, "serviceUrl");
        Objects.requireNonNull(vendorName, "vendorName");
        Objects.requireNonNull(vendorKs, "vendorKs");
        Objects.requireNonNull(appVersion, "appVersion");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        String url = serviceUrl.toString();
        if (url.endsWith("/")) {
            serviceUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }

    /**
     * The {@code clientTag} Kaltura asks vendors without a client library to send:
     * {@code app:<version>_<vendorName>_<vendorPartnerId>}, plus {@code _task-<id>} on calls about one task.
     */
    public String clientTag(Long taskId) {
        String tag = "app:" + UNSAFE.matcher(appVersion).replaceAll("-") + "_"
                + UNSAFE.matcher(vendorName).replaceAll("-") + "_" + vendorPartnerId;
        return taskId == null ? tag : tag + "_task-" + taskId;
    }

    URI actionUrl(String service, String action) {
        return URI.create(serviceUrl + "/api_v3/service/" + service + "/action/" + action);
    }

    @Override
    public String toString() {
        return "reach endpoint " + region + " " + serviceUrl + " (vendor " + vendorName + ", partner "
                + vendorPartnerId + ")";
    }
}
