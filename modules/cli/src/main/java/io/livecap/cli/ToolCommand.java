package io.livecap.cli;

/**
 * A command that a tool module adds to the livecap CLI (the REACH sandbox, the benchmark). Tools are found through
 * {@link java.util.ServiceLoader}, so the production modules never depend on them: the one jar that bundles them
 * lists them in {@code META-INF/services/io.livecap.cli.ToolCommand}. An implementation is a picocli {@code @Command}.
 */
public interface ToolCommand {
}
