package io.livecap.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the log while a fuzzer runs: counts lines with a stack trace, errors, and lines that say something
 * unexpected happened (livecap's "unexpected error", Netty's exception that reached the pipeline's tail), keeping the
 * first few. The loggers that write a line per refused stream (expected, thousands of them) go only here, not to
 * the console.
 */
final class FuzzLogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final List<String> QUIET = List.of("io.livecap.server.IngestEndpoint", "io.livecap.session",
            "io.livecap.timing", "io.livecap.audio", "io.livecap.ingest", "io.livecap.delivery");

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    private final List<String> samples = new ArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    FuzzLogWatch() {
        start();
        root.addAppender(this);
        for (String name : QUIET) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.setAdditive(false);
            logger.addAppender(this);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        events.incrementAndGet();
        String message = event.getFormattedMessage();
        boolean unexpected = event.getThrowableProxy() != null || message.contains("unexpected")
                || message.contains("reached at the tail") || event.getLevel().isGreaterOrEqual(Level.ERROR);
        if (unexpected) {
            bad.incrementAndGet();
            synchronized (samples) {
                if (samples.size() < 5) {
                    samples.add(event.getLevel() + " " + event.getLoggerName() + " " + message
                            + (event.getThrowableProxy() == null ? "" : "\n"
                            + ThrowableProxyUtil.asString(event.getThrowableProxy())));
                }
            }
        }
    }

    long events() {
        return events.get();
    }

    long unexpected() {
        return bad.get();
    }

    List<String> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        root.detachAppender(this);
        for (String name : QUIET) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.detachAppender(this);
            logger.setAdditive(true);
        }
        stop();
    }
}
