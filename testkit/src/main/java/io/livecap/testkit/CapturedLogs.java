package io.livecap.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Every log event while open, livecap's at DEBUG, with its stack trace, as text. */
public final class CapturedLogs implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger livecap = (Logger) LoggerFactory.getLogger("io.livecap");
    private final Level previous = livecap.getLevel();

    public CapturedLogs() {
        livecap.setLevel(Level.DEBUG);
        appender.start();
        root.addAppender(appender);
    }

    public List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
    }

    public List<String> lines(Level level, String containing) {
        return lines().stream().filter(l -> l.startsWith(level.toString()) && l.contains(containing)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        livecap.setLevel(previous);
    }
}
