package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.util.SphinxLogFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Sends sphinx4's java.util.logging records to SLF4J. Trap: every sphinx4 {@code ConfigurationManager} puts a console
 * handler on the JUL logger named after its configuration file ({@code default.config}) unless one with a
 * {@link SphinxLogFormatter} is already there, and resets that logger's level to the file's {@code INFO}; so this
 * handler carries that formatter, and {@link #quiet()} runs after each configuration is made. sphinx4's INFO is
 * per-utterance chatter, so it lands at SLF4J debug.
 */
final class SphinxLogBridge extends Handler {

    /** JUL parent logger of every component made from sphinx4's {@code default.config.xml}. */
    private static final java.util.logging.Logger SPHINX = java.util.logging.Logger.getLogger("default.config");

    private SphinxLogBridge() {
        setFormatter(new SphinxLogFormatter());
    }

    static synchronized void install() {
        for (Handler handler : SPHINX.getHandlers()) {
            if (handler instanceof SphinxLogBridge) {
                return;
            }
            SPHINX.removeHandler(handler);
        }
        SPHINX.setUseParentHandlers(false);
        SPHINX.addHandler(new SphinxLogBridge());
        quiet();
    }

    static void quiet() {
        SPHINX.setLevel(Level.WARNING);
    }

    @Override
    public void publish(LogRecord record) {
        String name = record.getLoggerName() == null ? "edu.cmu.sphinx" : record.getLoggerName().replaceFirst("^default\\.config\\.", "");
        Logger log = LoggerFactory.getLogger(name);
        String message = record.getMessage();
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            log.error(message, record.getThrown());
        } else if (level >= Level.WARNING.intValue()) {
            log.warn(message, record.getThrown());
        } else {
            log.debug(message, record.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
