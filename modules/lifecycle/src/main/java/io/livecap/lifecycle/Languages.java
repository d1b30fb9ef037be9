package io.livecap.lifecycle;

import java.util.Locale;
import java.util.Map;

/** REACH names languages in English ("English", "Spanish"); livecap's streams take BCP-47 tags. */
final class Languages {

    private static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("english", "en-US"), Map.entry("english (american)", "en-US"),
            Map.entry("english (british)", "en-GB"), Map.entry("spanish", "es-ES"), Map.entry("french", "fr-FR"),
            Map.entry("german", "de-DE"), Map.entry("italian", "it-IT"), Map.entry("portuguese", "pt-PT"),
            Map.entry("dutch", "nl-NL"), Map.entry("japanese", "ja-JP"), Map.entry("chinese", "zh-CN"),
            Map.entry("russian", "ru-RU"), Map.entry("arabic", "ar"), Map.entry("hebrew", "he-IL"),
            Map.entry("korean", "ko-KR"), Map.entry("hindi", "hi-IN"));

    private Languages() {
    }

    /** The REACH name for a tag (caption assets carry names such as "English"); unknown tags pass through. */
    static String toName(String tag) {
        for (Map.Entry<String, String> e : TAGS.entrySet()) {
            if (e.getValue().equalsIgnoreCase(tag) && !e.getKey().contains("(")) {
                String name = e.getKey();
                return Character.toUpperCase(name.charAt(0)) + name.substring(1);
            }
        }
        return tag;
    }

    /** The tag for a REACH language name; unknown or missing names become en-US (and are logged by the caller). */
    static String toTag(String reachName) {
        if (reachName == null || reachName.isBlank()) {
            return "en-US";
        }
        String tag = TAGS.get(reachName.trim().toLowerCase(Locale.ROOT));
        if (tag != null) {
            return tag;
        }
        return reachName.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*") ? reachName : "en-US";
    }
}
