package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The kernel's output path: nothing dropped under a flood, order kept, UTF-8 characters never split. */
class StreamPumpTest {

    @Test
    void aFloodFromSeveralWritesArrivesCompleteAndInOrder() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 200_000; i++) {
                    pump.out.println(i + " \u00e9\uD83D\uDE00"); // multi-byte characters cross buffer boundaries
                }
            });
            writer.start();
            writer.join();
            pump.drain();
        }
        String[] lines = console.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(200_000, lines.length);
        for (int i = 0; i < lines.length; i += 9_999) {
            assertEquals(i + " \u00e9\uD83D\uDE00", lines[i]);
        }
    }

    @Test
    void completeUtf8StopsBeforeAnUnfinishedCharacter() {
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 4 bytes
        byte[] text = new byte[]{'a', emoji[0], emoji[1]};
        assertEquals(1, StreamPump.completeUtf8(text));
        assertEquals(5, StreamPump.completeUtf8(new byte[]{'a', emoji[0], emoji[1], emoji[2], emoji[3]}));
        byte[] eAcute = "\u00e9".getBytes(StandardCharsets.UTF_8); // 2 bytes
        assertEquals(1, StreamPump.completeUtf8(new byte[]{'a', eAcute[0]}));
        assertEquals(3, StreamPump.completeUtf8(new byte[]{'a', eAcute[0], eAcute[1]}));
        assertEquals(0, StreamPump.completeUtf8(new byte[0]));
    }

    @Test
    void anUnfinishedCharacterAtTheEndOfACellStaysInThatCell() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (StreamPump pump = new StreamPump(sink, sink)) {
            pump.out.write(new byte[]{'a', (byte) 0xE2, (byte) 0x82}); // the first two of the three bytes of a euro sign
            pump.out.flush();
            pump.drain(); // while the cell runs, the rest may still come
            assertEquals("a", console.toString(StandardCharsets.UTF_8));
            pump.endCell(); // the cell ended without it: its bytes are shown there, not at the next cell's start
            assertEquals("a\uFFFD", console.toString(StandardCharsets.UTF_8));
            console.reset();
            pump.out.println("b");
            pump.endCell();
            assertEquals("b" + System.lineSeparator(), console.toString(StandardCharsets.UTF_8));
        }
    }
}
