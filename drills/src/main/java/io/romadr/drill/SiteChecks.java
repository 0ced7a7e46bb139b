package io.romadr.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.drill.SiteFaults;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
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
 * over HTTP, and the site-loss drill's checks (exactly one new server, DNS pointing at it, the data as before).
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

    /**
     * What the rebuilt site serves over HTTP (the backed-up cursor and artifact, the source file), then the site-loss
     * drill's own checks ({@link SiteFaults#checkSite}: one new server, DNS at it, state and artifacts as before).
     */
    static Checks check(SiteFaults site, RecoveryPlan plan, DrillState before, int httpPort, String sourceMarker,
            Path primary, PrintWriter out) {
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
        DrillVerification v = site.checkSite(plan, before);
        for (String line : v.checks()) {
            out.println("Independent check: " + line + (v.problems().contains(line) ? " FAILED" : ""));
        }
        out.println("Independent check: data loss: " + v.dataLoss());
        failed.addAll(v.problems());
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
