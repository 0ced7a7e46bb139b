package io.romadr.worker.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.worker.WorkerCommand;
import io.romadr.worker.host.RomaDrConfiguration.TemporalSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A worker's region picks its task queue: the host's temporal.region and the bare worker's --region. */
class WorkerRegionTest {
    @Test
    void theHostsRegionIsItsQueue() {
        assertEquals("roma-dr-us-west-2",
                new TemporalSettings(null, null, "roma-dr", false, 0, "us-west-2", null, null).taskQueue());
        assertEquals("roma-dr", new TemporalSettings(null, null, null, false, 0, "", null, null).taskQueue());
        assertEquals("custom", new TemporalSettings(null, null, "custom", false, 0, null, null, null).taskQueue());
    }

    @Test
    void aHostRegionThatDisagreesWithItsQueueIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TemporalSettings(null, null, "roma-dr-us-east-1", false, 0, "us-west-2", null, null));
        assertTrue(e.getMessage().startsWith("temporal.region: task queue \"roma-dr-us-east-1\" and region "
                + "\"us-west-2\" disagree"), e.getMessage());
    }

    @Test
    void theBareWorkerRefusesABadRegionBeforeConnecting() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new WorkerCommand()).execute("--region", "US West", "--address", "127.0.0.1:1");
        } finally {
            System.setErr(err);
        }
        assertEquals(CommandLine.ExitCode.USAGE, exit);
        String said = captured.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("--region: region \"US West\" is not a region name such as us-west-2"), said);
    }
}
