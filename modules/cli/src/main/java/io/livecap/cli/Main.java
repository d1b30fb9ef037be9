package io.livecap.cli;

import picocli.CommandLine;

import java.util.ServiceLoader;
import picocli.CommandLine.Command;

/** {@code java -jar livecap.jar <command>}. */
@Command(name = "livecap", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Real-time live captioning server for Kaltura REACH live-caption vendors.",
                "Takes live audio over a websocket, recognises speech as it streams, and pushes timed captions",
                "(start, start_epoch, start_pts) to caption websocket subscribers.",
                ""},
        subcommands = {ServeCommand.class, FeedCommand.class, ListenCommand.class, DemoCommand.class},
        footer = {"", "Start here:  livecap demo        (a server, a speech sample, live captions; no setup)",
                "Run:         livecap serve --port 8080",
                "Protocols and configuration: README.md"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        ServiceLoader.load(ToolCommand.class).forEach(cli::addSubcommand);
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // expected failures (missing model, busy port, bad config) get one clear line, not a stack trace
            commandLine.getErr().println("livecap: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli;
    }
}
