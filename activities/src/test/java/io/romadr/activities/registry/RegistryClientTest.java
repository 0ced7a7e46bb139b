package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("integration")
class RegistryClientTest {
    @Test
    void tagsAreListed() throws Exception {
        try (RegistryServer server = RegistryServer.start()) {
            RegistryClient registry = new RegistryClient(server.url(), RegistryCredentials.NONE);
            Descriptor config = ImageMirrorTest.push(registry, "app", "{}".getBytes(StandardCharsets.UTF_8),
                    "application/vnd.oci.image.config.v1+json");
            byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":"
                    + ImageMirrorTest.json(config) + ",\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                String tag = "t" + (100 + i);
                registry.putManifest("app", tag, new Manifest(Manifest.OCI_MANIFEST, Digests.of(m), m));
                expected.add(tag);
            }
            // distribution 2.8 pages in storage order, not sorted: compare as sorted, and no tag twice
            assertEquals(expected, registry.listTags("app", 5).stream().sorted().toList());
            // (distribution 2.8 ignores n and answers in one page; the Link paging is covered by the fake below)
            assertEquals(List.of(), registry.listTags("nothing-here"));
        }
    }

    @Test
    void downloadsAreCheckedAgainstTheirDigest() throws Exception {
        try (RegistryServer server = RegistryServer.start()) {
            RegistryClient registry = new RegistryClient(server.url(), RegistryCredentials.NONE);
            byte[] content = ImageMirrorTest.random(70_000);
            Descriptor blob = ImageMirrorTest.push(registry, "app", content, "application/octet-stream");
            try (InputStream in = registry.openBlob("app", blob, () -> {
            })) {
                assertEquals(Digests.of(content), Digests.of(in.readAllBytes()));
            }
            // a wrong digest on the way up is refused before the upload completes
            Descriptor lie = new Descriptor("application/octet-stream", Digests.of(new byte[]{1}), content.length);
            RegistryException e = assertThrows(RegistryException.class,
                    () -> registry.pushBlob("app", lie, new ByteArrayInputStream(content), () -> {
                    }));
            assertTrue(e.getMessage().contains("hashes to " + Digests.of(content)), e.getMessage());
            assertFalse(registry.hasBlob("app", lie.digest()));
        }
    }

    /** The token dance against a small fake registry + token service: the real one needs TLS and signed JWTs. */
    @Test
    void bearerChallengeIsAnsweredWithATokenFetchedWithBasicCredentials() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + fake.getAddress().getPort();
        List<String> tokenQueries = new CopyOnWriteArrayList<>();
        String basic = "Basic "
                + Base64.getEncoder().encodeToString("robot:s3cret-pw".getBytes(StandardCharsets.UTF_8));
        fake.createContext("/token", x -> {
            tokenQueries.add(x.getRequestURI().getRawQuery());
            if (basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                reply(x, 200, "{\"token\":\"tok-42\"}");
            } else {
                reply(x, 401, "{\"details\":\"bad credentials\"}");
            }
        });
        fake.createContext("/v2/", x -> {
            String query = x.getRequestURI().getRawQuery();
            if ("Bearer tok-42".equals(x.getRequestHeaders().getFirst("Authorization"))
                    && x.getRequestURI().getPath().equals("/v2/paged/tags/list")) {
                if (query.contains("last=b")) {
                    reply(x, 200, "{\"name\":\"paged\",\"tags\":[\"c\"]}");
                } else {
                    x.getResponseHeaders().add("Link", "</v2/paged/tags/list?n=2&last=b>; rel=\"next\"");
                    reply(x, 200, "{\"name\":\"paged\",\"tags\":[\"a\",\"b\"]}");
                }
            } else if ("Bearer tok-42".equals(x.getRequestHeaders().getFirst("Authorization"))) {
                reply(x, 200, "{\"name\":\"app\",\"tags\":[\"1.0\",\"latest\"]}");
            } else {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + base
                        + "/token\",service=\"fake\",scope=\"repository:app:pull\"");
                reply(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            }
        });
        fake.start();
        try {
            RegistryClient good = new RegistryClient(URI.create(base),
                    RegistryCredentials.basic("robot", "s3cret-pw"));
            assertEquals(List.of("1.0", "latest"), good.listTags("app"));
            assertEquals("service=fake&scope=repository%3Aapp%3Apull", tokenQueries.get(0));
            assertEquals(List.of("1.0", "latest"), good.listTags("app"));
            assertEquals(1, tokenQueries.size(), "the token is reused");
            assertEquals(List.of("a", "b", "c"), good.listTags("paged", 2), "Link rel=next pages are followed");

            RegistryClient bad = new RegistryClient(URI.create(base), RegistryCredentials.basic("robot", "wrong-pw"));
            RegistryException e = assertThrows(RegistryException.class, () -> bad.listTags("app"));
            assertEquals(401, e.status());
            assertFalse(e.getMessage().contains("wrong-pw"), e.getMessage());
            assertFalse(bad.toString().contains("wrong-pw"), bad.toString());
            assertFalse(good.toString().contains("s3cret-pw") || good.toString().contains("tok-42"));
            assertFalse(RegistryCredentials.bearer("tok-42").toString().contains("tok-42"));
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void extraTagsNeedExactlyOneSourceTag() {
        RegistryClient unused = new RegistryClient(URI.create("http://127.0.0.1:9"), RegistryCredentials.NONE);
        ImageMirror.Endpoint e = new ImageMirror.Endpoint(unused, "app");
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new ImageMirror().mirror(e, e,
                List.of("1.0", "2.0"), List.of("20261127-012800"), () -> {
                }));
        assertTrue(x.getMessage().contains("exactly one source tag"), x.getMessage());
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
