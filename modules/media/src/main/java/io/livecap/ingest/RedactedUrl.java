package io.livecap.ingest;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a pull URL is shown anywhere outside the pull itself (API answers, logs, the REACH audit, errors): its
 * userinfo and every query value are {@code ***}, e.g. {@code https://***@host/live.m3u8?key=***&t=***}. Pull URLs
 * carry credentials in exactly those places (and RTMP stream keys in the path, which {@link PullSource} adds to the
 * secrets it scrubs).
 */
public final class RedactedUrl {

    /** scheme://[userinfo@]rest-of-authority-and-path[?query]: URLs inside free text (ffmpeg's lines, exceptions). */
    private static final Pattern URL = Pattern.compile(
            "\\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\\s@?#]*@)?([^\\s?#\"']*)(\\?[^\\s#\"']*)?");
    private static final Pattern QUERY_VALUE = Pattern.compile("([?&;][^=&;#\\s]*)=([^&;#\\s]*)");
    /** Shorter secrets are left to the URL redaction: replacing "1" everywhere would garble the text. */
    private static final int MIN_SECRET = 3;

    private RedactedUrl() {
    }

    /** {@code url} with its userinfo and query values redacted. */
    public static String of(URI url) {
        return of(url.toString());
    }

    /** Every URL in {@code text} with its userinfo and query values redacted. */
    public static String of(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String query = m.group(4) == null ? "" : QUERY_VALUE.matcher(m.group(4)).replaceAll("$1=***");
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + (m.group(2) == null ? "" : "***@")
                    + m.group(3) + query));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * {@code text} with its URLs redacted and then every one of {@code secrets} (and its URL-encoded and decoded
     * forms) replaced by {@code ***}: ffmpeg and servers repeat keys outside any URL ("stream KEY not found").
     */
    public static String scrub(String text, Collection<String> secrets) {
        String clean = of(text);
        if (clean == null) {
            return null;
        }
        List<String> forms = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET) {
                forms.add(secret);
                forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
                forms.add(decode(secret));
            }
        }
        forms.sort(Comparator.comparingInt(String::length).reversed()); // the longest first: no half-replaced key
        for (String form : forms) {
            if (form.length() >= MIN_SECRET) {
                clean = clean.replace(form, "***");
            }
        }
        return clean;
    }

    /** The secrets a URL itself carries: its userinfo (whole, user, password) and its query values. */
    static List<String> secretsOf(URI url) {
        List<String> secrets = new ArrayList<>();
        if (url.getRawUserInfo() != null) {
            String info = url.getRawUserInfo();
            secrets.add(info);
            int colon = info.indexOf(':');
            if (colon >= 0) {
                secrets.add(info.substring(0, colon));
                secrets.add(info.substring(colon + 1));
            }
        }
        if (url.getRawQuery() != null) {
            Matcher m = QUERY_VALUE.matcher("?" + url.getRawQuery());
            while (m.find()) {
                secrets.add(m.group(2));
            }
        }
        return secrets;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
