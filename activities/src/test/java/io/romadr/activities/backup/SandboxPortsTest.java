package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How plan check URLs are pointed at a sandbox's published ports. */
class SandboxPortsTest {
    private final SandboxPorts ports = new SandboxPorts(Map.of(18080, 8080, 19090, 9090),
            Map.of(8080, 49153, 9090, 49154, 80, 49155));

    @Test
    void liveHostPortIsMappedThroughItsContainerPort() {
        assertEquals(Optional.of("http://127.0.0.1:49153/health?deep=1"),
                ports.rewrite("http://127.0.0.1:18080/health?deep=1"));
    }

    @Test
    void containerPortInTheUrlIsMappedDirectlyAndTheHostBecomesLoopback() {
        assertEquals(Optional.of("http://127.0.0.1:49153/health"), ports.rewrite("http://roma.internal:8080/health"));
    }

    @Test
    void urlWithoutPortUsesTheSchemeDefault() {
        assertEquals(Optional.of("http://127.0.0.1:49155/"), ports.rewrite("http://localhost/"));
    }

    @Test
    void portTheSandboxDoesNotPublishGivesNothing() {
        assertTrue(ports.rewrite("http://127.0.0.1:7000/health").isEmpty());
        assertEquals("80->49155, 8080->49153, 9090->49154", ports.describe());
    }
}
