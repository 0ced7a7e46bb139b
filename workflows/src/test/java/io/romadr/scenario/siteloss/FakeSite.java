package io.romadr.scenario.siteloss;

import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory site for the workflow's unit tests: records every call in order, keeps one server per key and one
 * DNS record, so idempotency and the saga's order can be asserted.
 */
final class FakeSite implements SiteActivities {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, SiteServer> servers = Collections.synchronizedMap(new HashMap<>());
    final AtomicInteger provisionAttempts = new AtomicInteger();
    volatile DnsValue record = new DnsValue("roma.example.internal.", "A", 60, List.of("10.0.0.1"));
    volatile int failProvisionAttempts;
    volatile boolean unhealthyAfterCutover;
    volatile String failCommand = "";
    volatile CountDownLatch blockCommand;
    /** The store each secrets install and data restore read from, and the site each provision was for. */
    final List<String> stores = Collections.synchronizedList(new ArrayList<>());
    final List<SiteTarget> provisioned = Collections.synchronizedList(new ArrayList<>());

    @Override
    public SiteServer provision(ProvisionRequest r) {
        int attempt = provisionAttempts.incrementAndGet();
        String key = r.workflowId() + "/" + r.step();
        SiteServer s = servers.computeIfAbsent(key, k -> new SiteServer(r.target().provider(), "srv-" + servers.size(),
                "roma-recovery", "10.9.9.9", "pending", 1));
        calls.add("provision");
        provisioned.add(r.target());
        if (attempt <= failProvisionAttempts) {
            // Made the server, then lost the answer: the retry must find it, not make another.
            throw ApplicationFailure.newFailure("connection reset after RunInstances", "Transient");
        }
        return new SiteServer(s.provider(), s.id(), s.name(), s.address(), s.state(), attempt);
    }

    @Override
    public SiteServer awaitReady(SiteTarget t) {
        calls.add("await-ready");
        SiteServer s = t.server();
        return new SiteServer(s.provider(), s.id(), s.name(), s.address(), "running", 1);
    }

    @Override
    public ActionResult runOnServer(ServerCommandRequest r) {
        calls.add("run " + r.step().name());
        if (r.step().name().equals(failCommand)) {
            throw ApplicationFailure.newNonRetryableFailure(r.step().name() + " exited 1", "CommandFailed");
        }
        CountDownLatch block = blockCommand;
        if (block != null) {
            try {
                block.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new ActionResult(true, "exit 0", 1);
    }

    @Override
    public SourceResult installSource(SourceRequest r) {
        calls.add("source");
        return new SourceResult("backup", "c0ffee".repeat(6) + "abcd", 12, List.of("origin: connection refused"));
    }

    @Override
    public SecretsInstallResult installSecrets(SecretsInstallRequest r) {
        calls.add("secrets " + r.manifest().objectKey());
        stores.add(r.store().uri());
        return new SecretsInstallResult(r.manifest().objectKey(), r.target().site().envFile(), List.of("API_TOKEN"));
    }

    @Override
    public ImagePullResult pullImages(ImagePullRequest r) {
        calls.add("images");
        Map<String, String> resolved = new HashMap<>();
        r.templateImages().forEach(i -> resolved.put(i, "backup-registry/" + i));
        return new ImagePullResult(resolved, "backup", List.of("primary: connection refused"));
    }

    @Override
    public ActionResult startServices(StartServicesRequest r) {
        calls.add("start");
        return new ActionResult(true, "started roma", 1);
    }

    @Override
    public SiteRestoreResult restoreData(SiteRestoreRequest r) {
        calls.add("restore " + r.path() + " " + r.manifest().objectKey());
        stores.add(r.store().uri());
        return new SiteRestoreResult(r.manifest().objectKey(), r.path(), 3, 100, "restored 3 entries", 1);
    }

    @Override
    public HealthResult checkHealth(SiteHealthRequest r) {
        boolean cut = !record.values().contains("10.0.0.1");
        boolean ok = !(unhealthyAfterCutover && cut);
        calls.add("health " + (r.checks().within().isZero() ? "once" : "wait"));
        return new HealthResult(ok, List.of(new CheckResult("http", ok, ok ? "200" : "503")), 1, 0, 1);
    }

    @Override
    public ArtifactCheck validateArtifacts(SiteArtifactsRequest r) {
        calls.add("validate-artifacts");
        return new ArtifactCheck(2, List.of());
    }

    @Override
    public DnsValue currentDns(DnsRequest r) {
        calls.add("dns-read");
        return record;
    }

    @Override
    public DnsOutcome updateDns(DnsRequest r) {
        calls.add("dns-update " + r.values());
        DnsValue next = new DnsValue(record.name(), record.type(), r.dns().ttl(), r.values());
        boolean changed = !next.values().equals(record.values());
        record = next;
        return new DnsOutcome(next, changed, changed ? "C1" : null, 1);
    }

    @Override
    public DnsOutcome restoreDns(DnsRequest r) {
        calls.add("dns-restore " + (r.previous() == null ? "delete" : r.previous().values()));
        boolean changed = r.previous() == null || !r.previous().values().equals(record.values());
        if (r.previous() != null) {
            record = r.previous();
        }
        return new DnsOutcome(r.previous(), changed, "C2", 1);
    }

    @Override
    public boolean terminate(SiteTarget t) {
        calls.add("terminate " + t.server().id());
        return servers.values().removeIf(s -> s.id().equals(t.server().id()));
    }
}
