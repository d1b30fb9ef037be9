package io.livecap.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"livecap " + (version == null ? "dev" : version),
                "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
    }
}
