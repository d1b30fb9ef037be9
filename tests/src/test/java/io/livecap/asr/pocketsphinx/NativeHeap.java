package io.livecap.asr.pocketsphinx;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Bytes glibc's malloc has handed out and not got back. Unlike resident memory it does not depend on whether
 * earlier frees left reusable holes, so it measures what a decoder really holds.
 */
final class NativeHeap {

    private NativeHeap() {
    }

    static long inUseBytes() {
        MallInfo2 info = LibC.INSTANCE.mallinfo2();
        return info.uordblks + info.hblkhd;
    }

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        /** glibc 2.33+: struct mallinfo2, ten size_t fields. */
        MallInfo2 mallinfo2();
    }

    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }
}
