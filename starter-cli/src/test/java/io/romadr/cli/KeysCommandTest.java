package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.temporal.codec.PayloadKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code roma-dr keys generate|check}: a key line for the file, and what a process would encrypt with. */
class KeysCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RomaDrCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        KeysCommand.Check check = cl.getSubcommands().get("keys").getSubcommands().get("check").getCommand();
        check.environment = environment;
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void generatePrintsOneKeyLineThatTheKeysFileReads() {
        Run run = run(Map.of(), "keys", "generate", "--id", "k-2026-12");
        assertEquals(0, run.exit(), run.err());
        String line = run.out().strip();
        assertTrue(line.matches("k-2026-12 [A-Za-z0-9+/]{43}="), line);
        assertEquals("k-2026-12", PayloadKeys.parse(line, "test").currentId());
        assertFalse(run(Map.of(), "keys", "generate", "--id", "k-2026-12").out().strip().equals(line),
                "every key is new");
        Run bad = run(Map.of(), "keys", "generate", "--id", "no spaces");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertTrue(bad.err().startsWith("roma-dr: --id: the key id must be"), bad.err());
    }

    @Test
    void checkPrintsTheSourceAndTheIdsNeverAKey() throws Exception {
        String current = PayloadKeys.generateLine("k-new");
        String old = PayloadKeys.generateLine("k-old");
        Path file = Files.writeString(tmp.resolve("payload-keys"), "# rotated 2026-12\n" + current + "\n" + old
                + "\n");
        Run run = run(Map.of(PayloadKeys.FILE_ENV, file.toString()), "keys", "check");
        assertEquals(0, run.exit(), run.err());
        assertEquals("source:     file " + file + "\nencrypting: k-new\nkeys:       k-new, k-old\n", run.out());
        assertFalse(run.out().contains(current.split(" ")[1]) || run.out().contains(old.split(" ")[1]));
    }

    @Test
    void noKeysAndBadKeysSayWhy() throws Exception {
        Run none = run(Map.of(), "keys", "check");
        assertEquals(ExitCodes.NOT_FOUND, none.exit());
        assertTrue(none.err().contains("payloads are written in clear"), none.err());
        Path file = Files.writeString(tmp.resolve("short"), "k1 c2hvcnQ=\n");
        Run bad = run(Map.of(PayloadKeys.FILE_ENV, file.toString()), "keys", "check");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertTrue(bad.err().contains("line 1: the key of k1 is 5 bytes; AES-256 needs 32"), bad.err());
    }
}
