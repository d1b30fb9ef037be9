package io.livecap.asr.pocketsphinx;

import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes pocketsphinx/sphinxbase's log into SLF4J instead of stderr. Its INFO chatter (every option at model
 * load, a dozen search statistics per utterance) goes to TRACE, not DEBUG, so that a DEBUG root logger does not
 * drown in it; its warnings and errors stay visible, and the last error on each thread is kept so that a failed
 * call can say why in its exception.
 *
 * <p>sphinxbase calls the callback on the thread that called into it, so a thread-local is the right scope.
 */
final class SphinxLog {

    private static final Logger log = LoggerFactory.getLogger("io.livecap.asr.pocketsphinx.native");

    // sphinxbase's err_lvl_t: DEBUG, INFO, INFOCONT, WARN, ERROR, FATAL
    private static final int WARN = 3;
    private static final int ERROR = 4;

    private static final ThreadLocal<String> lastError = new ThreadLocal<>();

    // Held for the life of the process: sphinxbase keeps the function pointer in a global.
    private static final PocketsphinxLibrary.ErrorCallback CALLBACK = SphinxLog::onMessage;

    private static boolean installed;

    private SphinxLog() {
    }

    /** Takes over sphinxbase's logging; must run before the first call that can log. */
    static synchronized void install(PocketsphinxLibrary lib) {
        if (!installed) {
            lib.err_set_logfp(null);
            lib.err_set_callback(CALLBACK, null);
            installed = true;
        }
    }

    /** The last error sphinxbase reported on this thread, cleared by the call; {@code null} if none. */
    static String takeLastError() {
        String error = lastError.get();
        lastError.remove();
        return error;
    }

    static void clearLastError() {
        lastError.remove();
    }

    private static void onMessage(Pointer userData, int level, String format, long a1, long a2, long a3, long a4,
                                  long a5) {
        try {
            if (level >= WARN) {
                String message = format(format, a1, a2, a3, a4, a5);
                if (level >= ERROR) {
                    lastError.set(message);
                    log.error(message);
                } else {
                    log.warn(message);
                }
            } else if (log.isTraceEnabled()) {
                log.trace(format(format, a1, a2, a3, a4, a5));
            }
        } catch (RuntimeException e) {
            // An exception must never unwind into C.
            log.warn("could not format a pocketsphinx log message: {}", e.toString());
        }
    }

    /** Just enough printf for what sphinxbase's err.c passes to its callback: %s, %d, %ld and %%. */
    static String format(String format, long... args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char conversion = format.charAt(++i);
            boolean isLong = conversion == 'l' && i + 1 < format.length();
            if (isLong) {
                conversion = format.charAt(++i);
            }
            if (conversion == '%') {
                out.append('%');
            } else if (next < args.length) {
                long arg = args[next++];
                if (conversion == 's') {
                    out.append(arg == 0 ? "(null)" : new Pointer(arg).getString(0));
                } else {
                    // an int travels in a 64-bit register whose upper half is undefined
                    out.append(isLong ? arg : (int) arg);
                }
            }
        }
        return out.toString().strip();
    }
}
