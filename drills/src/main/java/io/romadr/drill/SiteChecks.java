package io.romadr.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.dns.DnsRecord;
import io.romadr.activities.dns.LocalZoneFileDns;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The total-loss drill's own checks of a rebuilt site, independent of the workflow: what the new server serves
 * over HTTP, that there is exactly one server, and that DNS points at it.
 */
final class SiteChecks {
    private SiteChecks() {
    }

    /** What the drill found by itself; each entry is a problem. */
    record Checks(List<String> failed) {
        boolean allHold() {
            return failed.isEmpty();
        }
    }

    static Checks check(DockerHostCompute compute, DockerClient docker, String plan, int httpPort,
            Path zoneFile, String sourceMarker, Path primary, PrintWriter out) throws IOException {
        List<String> failed = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/cursor", TotalLossDrill.CURSOR);
        expected.put("/index.html", sourceMarker);
        expected.put("/today.json", TotalLossDrill.ARTIFACT);
        // With the primary repository gone, the backup remote is the only place the source file can come from.
        Map<String, String> what = Map.of("/cursor", "the backed-up cursor", "/index.html", Files.exists(primary)
                ? "the source file (the primary repository still exists)"
                : "the source file from the backup remote",
                "/today.json", "the backed-up artifact");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got;
            try {
                got = get(httpPort, e.getKey());
            } catch (Exception x) {
                got = "(no answer: " + x.getMessage() + ")";
            }
            boolean holds = got.equals(e.getValue());
            out.println("Independent check: GET http://127.0.0.1:" + httpPort + e.getKey() + " -> " + got
                    + (holds ? " = " + what.get(e.getKey()) : " EXPECTED " + e.getValue()));
            if (!holds) {
                failed.add(e.getKey());
            }
        }
        List<Container> servers = servers(docker, plan);
        out.println("Independent check: " + servers.size() + " server container(s) labelled "
                + DockerHostCompute.PLAN_LABEL + "=" + plan + (servers.size() == 1 ? "" : ", EXPECTED exactly 1"));
        if (servers.size() != 1) {
            failed.add("servers");
        }
        DnsRecord record = new LocalZoneFileDns(zoneFile).current(TotalLossDrill.ZONE, TotalLossDrill.RECORD, "A");
        String address = servers.size() == 1 ? compute.describe(servers.get(0).getId()).address() : null;
        boolean moved = record != null && address != null && record.values().equals(List.of(address));
        out.println("Independent check: zone file says " + (record == null
                ? "(no record)"
                : record.name() + " A "
                        + String.join(",", record.values()))
                + (moved
                        ? " = the new server's address"
                        : ", the new server is at " + address + ": DNS NOT MOVED"));
        if (!moved) {
            failed.add("dns");
        }
        return new Checks(failed);
    }

    static String get(int httpPort, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body().strip() : "HTTP " + r.statusCode();
    }

    /** This plan's server containers (service containers carry the plan's site key, not the plan label). */
    static List<Container> servers(DockerClient docker, String plan) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHostCompute.PLAN_LABEL, plan)).exec();
    }
}
