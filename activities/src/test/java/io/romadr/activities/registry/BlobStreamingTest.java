package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The large-chunk upload publisher and the read-ahead download stream, alone and against a real registry. */
class BlobStreamingTest {
    @Test
    void publisherEmitsTheWholeStreamInOrderInFullChunksWhenOnNextRequestsMore() {
        byte[] content = ImageMirrorTest.random(3 * 1000 + 7);
        InputStreamBodyPublisher publisher = new InputStreamBodyPublisher(new ByteArrayInputStream(content),
                content.length, 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        boolean[] completed = new boolean[1];
        publisher.subscribe(new Flow.Subscriber<>() {
            Flow.Subscription s;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(1);
            }

            @Override
            public void onNext(ByteBuffer item) {
                sizes.add(item.remaining());
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.writeBytes(b);
                s.request(1); // reentrant, as the HTTP client does
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
                completed[0] = true;
            }
        });
        assertTrue(completed[0]);
        assertEquals(List.of(1000, 1000, 1000, 7), sizes);
        assertArrayEquals(content, out.toByteArray());
        assertEquals(content.length, publisher.contentLength());
    }

    @Test
    void largeBlobRoundTripsAndAnAbandonedDownloadLeavesTheClientUsable() throws Exception {
        try (RegistryServer server = RegistryServer.start()) {
            RegistryClient registry = new RegistryClient(server.url(), RegistryCredentials.NONE);
            byte[] content = ImageMirrorTest.random(5 * InputStreamBodyPublisher.CHUNK_SIZE + 12_345);
            Descriptor blob = new Descriptor("application/octet-stream", Digests.of(content), content.length);
            registry.pushBlob("app", blob, new ByteArrayInputStream(content), () -> { });
            try (InputStream in = registry.openBlob("app", blob, () -> { })) {
                assertArrayEquals(content, in.readAllBytes());
            }
            try (InputStream in = registry.openBlob("app", blob, () -> { })) {
                assertEquals(4096, in.readNBytes(4096).length); // then closed with most of the body unread
            }
            try (InputStream in = registry.openBlob("app", blob, () -> { })) {
                assertEquals(Digests.of(content), Digests.of(in.readAllBytes()));
            }
        }
    }
}
