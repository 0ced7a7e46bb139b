package io.romadr.activities.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.backup.ContainerArtifacts;
import io.romadr.activities.backup.EngineArchive;
import io.romadr.activities.compute.ComputeProvider;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.compute.Server;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.dns.DnsRecord;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.ContainerRemoval;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.site.ComputeProviders;
import io.romadr.activities.site.DnsProviders;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.SiteSpec;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scenario 3's drill on a Docker engine: loses the whole site (every container of the plan's compose project with its
 * volumes, and the docker provider's server containers of the plan with their disks), so that only the backups remain,
 * and checks the rebuilt site independently of the scenario's workflow: its health checks, a new server, DNS pointing
 * at it, and the restored state and artifacts file by file against their SHA-256 before the loss.
 */
public final class SiteFaults implements ScenarioFaults {
    /** Fingerprints: the compose services that ran ("app,worker"), the server container ids ("" when none), */
    static final String CONTAINERS = "site:containers";
    static final String SERVERS = "site:servers";
    /** the record's values ("none" when there is no record), and each state or artifact file's SHA-256. */
    static final String DNS = "site:dns";
    static final String STATE = "site:state:";
    static final String ARTIFACTS = "site:artifacts:";

    private final DockerClient docker;
    private final ServiceActivities service;
    private final ComputeProviders compute;
    private final DnsProviders dns;
    private final ComposeContainerFinder finder;
    private final EngineArchive.Source archives;

    /**
     * @param service Scenario 1's activities, whose {@code check} runs the plan's health checks in {@link #verify}
     *                (null: only {@link #document} and {@link #checkSite} are used)
     * @param compute opens the docker provider, whose terminate removes a server with its services and disk
     * @param dns     reads the plan's {@code site.dns} record
     */
    public SiteFaults(DockerClient docker, ServiceActivities service, ComputeProviders compute, DnsProviders dns) {
        this.docker = docker;
        this.service = service;
        this.compute = compute;
        this.dns = dns;
        this.finder = new ComposeContainerFinder(docker);
        this.archives = EngineArchive.fromEnvironment(docker);
    }

    // ---- document --------------------------------------------------------------------------------------------------

    @Override
    public String scenario() {
        return "site-loss";
    }

    @Override
    public void document(RecoveryPlan plan, List<String> lines, Map<String, String> fingerprints) {
        String project = plan.service().composeProject();
        List<Container> containers = projectContainers(project);
        TreeSet<String> running = new TreeSet<>();
        for (Container c : containers) {
            if ("running".equals(c.getState())) {
                running.add(serviceOf(c));
            }
        }
        lines.add("site: " + containers.size() + " container(s) of compose project " + project + ", running: "
                + (running.isEmpty() ? "none" : String.join(", ", running)));
        fingerprints.put(CONTAINERS, String.join(",", running));
        List<Container> servers = servers(plan);
        for (Container s : servers) {
            lines.add("site server " + name(s) + " (docker): " + s.getState() + ", address "
                    + address(plan, s.getId()));
        }
        fingerprints.put(SERVERS, String.join(",", servers.stream().map(Container::getId).sorted().toList()));
        if (plan.site() != null && plan.site().dns() != null) {
            DnsRecord record = record(plan.site());
            String values = record == null ? "none" : String.join(",", record.values());
            lines.add("site DNS " + plan.site().dns().name() + " " + plan.site().dns().type() + ": " + values);
            fingerprints.put(DNS, values);
        }
        if (plan.backup() != null && plan.backup().state() != null) {
            document(project, plan.backup().state().service(), plan.backup().state().path(), List.of(), STATE,
                    "state", lines, fingerprints);
        }
        if (plan.backup() != null && plan.backup().artifacts() != null) {
            document(project, plan.backup().artifacts().service(), plan.backup().artifacts().path(),
                    plan.backup().artifacts().include(), ARTIFACTS, "artifacts", lines, fingerprints);
        }
    }

    private void document(String project, String serviceName, String path, List<String> include, String prefix,
            String what, List<String> lines, Map<String, String> fingerprints) {
        String where = serviceName + ":" + path;
        try {
            Map<String, String> files = digests(project, serviceName, path, include);
            files.forEach((rel, sha) -> fingerprints.put(prefix + rel, sha));
            lines.add("site " + what + " " + where + ": " + files.size() + " file(s) fingerprinted (SHA-256)");
        } catch (IOException | RuntimeException e) {
            lines.add("site " + what + " " + where + ": not fingerprinted: "
                    + FailureMessages.bounded(String.valueOf(e.getMessage())));
        }
    }

    // ---- inject ----------------------------------------------------------------------------------------------------

    /**
     * Removes whatever is left of the site. Nothing left is an earlier attempt's work when this is a retry; at the first
     * attempt it means there is no such site (a plan pointing elsewhere), which is not a drill.
     */
    @Override
    public FaultResult inject(FaultRequest request, int attempt) {
        if (!request.fault().equals("remove-site")) {
            throw ApplicationFailure.newNonRetryableFailure("unknown fault \"" + request.fault()
                    + "\" for site-loss (remove-site)", IllegalArgumentException.class.getName());
        }
        RecoveryPlan plan = request.plan();
        String project = plan.service().composeProject();
        List<String> done = new ArrayList<>();
        for (Container server : servers(plan)) {
            // The provider's own terminate: the server, the service containers started on it, and its disk.
            withDocker(plan.site(), p -> p.terminate(server.getId()));
            done.add("removed server " + name(server) + " with its services and disk");
        }
        for (Container c : projectContainers(project)) {
            ContainerRemoval.force(docker, c.getId(), true);
            done.add("removed " + name(c));
        }
        List<String> volumes = projectVolumes(project);
        for (String volume : volumes) {
            removeVolume(volume);
            done.add("removed volume " + volume);
        }
        if (!done.isEmpty()) {
            return new FaultResult(true, false, String.join("; ", done), attempt);
        }
        if (attempt > 1) {
            // An earlier attempt removed it all and its worker died before it could say so.
            return new FaultResult(false, false, "no container, server or volume of compose project " + project
                    + " left: already removed (an earlier attempt)", attempt);
        }
        throw ApplicationFailure.newNonRetryableFailure("no container, server or volume of compose project "
                + project + " (plan " + plan.name() + ") on this Docker engine: there is no site to lose",
                DockerDrillActivities.NO_SUCH_SERVICE);
    }

    // ---- verify ----------------------------------------------------------------------------------------------------

    @Override
    public DrillVerification verify(VerifyRecoveredRequest request) {
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ServiceFaults.checkHealth(service, request.plan().service(), checks, problems);
        DrillVerification site = checkSite(request.plan(), request.before());
        checks.addAll(site.checks());
        problems.addAll(site.problems());
        return new DrillVerification(problems.isEmpty(), checks, problems, site.dataLoss());
    }

    /**
     * The checks that need no activity (the embedded total-loss drill runs them too): the services that ran before run
     * again, on exactly one new server (docker provider), DNS points at it, and the state and artifacts are as before.
     */
    public DrillVerification checkSite(RecoveryPlan plan, DrillState state) {
        Map<String, String> before = state.fingerprints();
        String project = plan.service().composeProject();
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Container> containers = projectContainers(project);
        List<String> services = before.getOrDefault(CONTAINERS, "").isEmpty()
                ? plan.service().serviceNames()
                : List.of(before.get(CONTAINERS).split(","));
        for (String name : services) {
            boolean up = containers.stream().anyMatch(c -> name.equals(serviceOf(c)) && "running".equals(c
                    .getState()));
            check(up, up ? name + " runs on the new site" : "no running container of " + name, checks, problems);
        }

        String address = null;
        if (isDocker(plan.site())) {
            List<Container> servers = servers(plan);
            List<String> old = List.of(before.getOrDefault(SERVERS, "").split(","));
            boolean one = servers.size() == 1 && !old.contains(servers.get(0).getId());
            check(one, servers.size() + " server container(s) labelled " + DockerHostCompute.PLAN_LABEL + "="
                    + plan.name() + (one ? ", new since the loss" : ", expected exactly one new one"), checks,
                    problems);
            if (servers.size() == 1) {
                address = address(plan, servers.get(0).getId());
            }
        }
        if (plan.site() != null && plan.site().dns() != null) {
            checkDns(plan.site(), before.get(DNS), address, checks, problems);
        }
        List<String> lost = new ArrayList<>();
        int files = compareData(plan, before, STATE, "state", checks, problems, lost);
        files += compareData(plan, before, ARTIFACTS, "artifacts", checks, problems, lost);
        String dataLoss = files == 0 ? "" : lost.isEmpty() ? "None" : String.join("; ", lost);
        return new DrillVerification(problems.isEmpty(), checks, problems, dataLoss);
    }

    /** The record points at the new server (docker provider), else at least away from where it pointed before. */
    private void checkDns(SiteSpec site, String valuesBefore, String address, List<String> checks,
            List<String> problems) {
        String name = site.dns().name() + " " + site.dns().type();
        DnsRecord now;
        try {
            now = record(site);
        } catch (RuntimeException e) {
            check(false, "DNS " + name + ": could not read: " + FailureMessages.bounded(String.valueOf(e
                    .getMessage())), checks, problems);
            return;
        }
        String values = now == null ? "none" : String.join(",", now.values());
        if (address != null) {
            boolean moved = now != null && now.values().equals(List.of(address));
            check(moved, "DNS " + name + ": " + values + (moved
                    ? " = the new server's address"
                    : ", the new server is at " + address), checks, problems);
        } else {
            boolean moved = now != null && !values.equals(valuesBefore);
            check(moved, "DNS " + name + ": " + values + (moved
                    ? ", before the loss " + valuesBefore
                    : ", as before the loss: not moved"), checks, problems);
        }
    }

    /**
     * Compares the files fingerprinted before with the same directory on the new site. A file the site wrote since is
     * not data loss; one missing or different is. Returns how many files were fingerprinted before.
     */
    private int compareData(RecoveryPlan plan, Map<String, String> before, String prefix, String what,
            List<String> checks, List<String> problems, List<String> lost) {
        Map<String, String> expected = new TreeMap<>();
        before.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                expected.put(k.substring(prefix.length()), v);
            }
        });
        boolean state = prefix.equals(STATE);
        if (expected.isEmpty() || plan.backup() == null
                || (state ? plan.backup().state() == null : plan.backup().artifacts() == null)) {
            return 0;
        }
        String serviceName = state ? plan.backup().state().service() : plan.backup().artifacts().service();
        String path = state ? plan.backup().state().path() : plan.backup().artifacts().path();
        List<String> include = state ? List.of() : plan.backup().artifacts().include();
        Map<String, String> now;
        try {
            now = digests(plan.service().composeProject(), serviceName, path, include);
        } catch (IOException | RuntimeException e) {
            String line = what + " " + serviceName + ":" + path + ": could not read on the new site: "
                    + FailureMessages.bounded(String.valueOf(e.getMessage()));
            check(false, line, checks, problems);
            lost.add(what + ": not readable");
            return expected.size();
        }
        List<String> missing = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        expected.forEach((rel, sha) -> {
            String got = now.get(rel);
            if (got == null) {
                missing.add(rel);
            } else if (!got.equals(sha)) {
                differ.add(rel + " (sha256 " + Sha256.abbrev(got) + ", before " + Sha256.abbrev(sha) + ")");
            }
        });
        int same = expected.size() - missing.size() - differ.size();
        String line = what + " " + serviceName + ":" + path + ": " + same + " of " + expected.size()
                + " file(s) as before the loss" + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                + (differ.isEmpty() ? "" : "; different: " + String.join(", ", differ));
        check(missing.isEmpty() && differ.isEmpty(), line, checks, problems);
        if (!missing.isEmpty() || !differ.isEmpty()) {
            List<String> names = new ArrayList<>(missing);
            differ.forEach(d -> names.add(d.substring(0, d.indexOf(" (sha256"))));
            lost.add(what + ": " + (missing.size() + differ.size()) + " of " + expected.size()
                    + " file(s) missing or different from before the loss: " + String.join(", ", names));
        }
        return expected.size();
    }

    private static void check(boolean ok, String line, List<String> checks, List<String> problems) {
        checks.add(line);
        if (!ok) {
            problems.add(line);
        }
    }

    // ---- the engine ------------------------------------------------------------------------------------------------

    /** SHA-256 of each regular file under {@code path} in the running container of the service, by relative path. */
    private Map<String, String> digests(String project, String serviceName, String path, List<String> include)
            throws IOException {
        Container running = finder.current(project, serviceName).stream()
                .filter(c -> "running".equals(c.getState()))
                .findFirst()
                .orElseThrow(() -> new IOException("no running container of " + serviceName));
        Map<String, String> out = new TreeMap<>();
        try (InputStream tar = archives.open(running.getId(), path)) {
            ContainerArtifacts.read(tar, ContainerArtifacts.matchers(include), (rel, content) -> {
                MessageDigest md = Sha256.newDigest();
                new DigestInputStream(content, md).transferTo(OutputStream.nullOutputStream());
                out.put(rel, Sha256.hex(md));
            });
        } catch (NotFoundException e) {
            throw new IOException("no " + path + " in the container of " + serviceName);
        }
        return out;
    }

    private List<Container> projectContainers(String project) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec();
    }

    /** The docker provider's server containers of the plan (none when the plan's site is elsewhere). */
    private List<Container> servers(RecoveryPlan plan) {
        if (!isDocker(plan.site())) {
            return List.of();
        }
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHostCompute.PLAN_LABEL, plan.name())).exec();
    }

    private List<String> projectVolumes(String project) {
        var volumes = docker.listVolumesCmd()
                .withFilter("label", List.of(DockerServiceActivities.LABEL_PROJECT + "=" + project)).exec()
                .getVolumes();
        return volumes == null ? List.of() : volumes.stream().map(v -> v.getName()).sorted().toList();
    }

    private void removeVolume(String name) {
        try {
            docker.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            // removed meanwhile
        }
    }

    private String address(RecoveryPlan plan, String serverId) {
        return withDocker(plan.site(), p -> {
            Server s = p.describe(serverId);
            return s == null ? null : s.address();
        });
    }

    private DnsRecord record(SiteSpec site) {
        return dns.with(site.dns(), p -> p.current(site.dns().zone(), site.dns().name(), site.dns().type()));
    }

    private interface ProviderCall<T> {
        T apply(ComputeProvider provider) throws IOException;
    }

    private <T> T withDocker(SiteSpec site, ProviderCall<T> call) {
        try (ComputeProvider p = compute.open("docker", site)) {
            return call.apply(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isDocker(SiteSpec site) {
        return site != null && site.provider().equals("docker");
    }

    private static String name(Container c) {
        return c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
    }

    private static String serviceOf(Container c) {
        return c.getLabels() == null ? "" : c.getLabels().getOrDefault(DockerServiceActivities.LABEL_SERVICE, "");
    }
}
