package io.livecap.cli;

import io.livecap.config.LivecapConfig;
import io.livecap.node.AdminKeyFile;

import java.nio.file.Path;
import java.util.Map;

/**
 * The credential feed and listen present, without the user doing anything on the server's own machine:
 * {@code --token}, else {@code LIVECAP_TOKEN}, else the local admin key file ({@code auth.admin_key_file},
 * {@code ./data/admin.key} by default). Null when there is none (a --no-auth lab needs none).
 */
final class ClientToken {

    private ClientToken() {
    }

    static String resolve(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String fromEnv = env.get("LIVECAP_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String file;
        try {
            file = ServeCommand.load(null, null, null, null).auth().adminKeyFile();
        } catch (RuntimeException e) {
            file = LivecapConfig.defaults().auth().adminKeyFile();
        }
        return file.isBlank() ? null : AdminKeyFile.read(Path.of(file)).orElse(null);
    }
}
