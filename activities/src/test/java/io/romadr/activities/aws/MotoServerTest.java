package io.romadr.activities.aws;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("integration")
class MotoServerTest {

    @Test
    void missingExecutableFailsWithTheInstallHint() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MotoServer.start("moto_server_that_does_not_exist").close());
        assertTrue(e.getMessage().contains("pip install 'moto[server]'"), e.getMessage());
    }

    @Test
    void startsAnswersAndStops() throws Exception {
        MotoServer moto = MotoServer.start();
        String bucket = moto.freshBucket();
        assertTrue(moto.s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
        int port = moto.endpoint().getPort();
        moto.close();
        // Stopped means the port no longer answers (poll: the OS may take a moment to close the socket).
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                assertTrue(System.nanoTime() < deadline, "moto still listening on " + port + " after close");
                Thread.sleep(100);
            } catch (java.net.ConnectException expected) {
                return;
            }
        }
    }
}
