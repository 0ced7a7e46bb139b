package io.romadr.drill;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.ReportFormatter;
import io.romadr.worker.host.EmbeddedHost;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Scenario 1 drill on the embedded default: an in-process Temporal server, a worker, a two-container sandbox
 * service built from a local image; each fault is injected in turn and recovered by the real workflow.
 */
@Command(name = "service-failure", mixinStandardHelpOptions = true,
        description = "Scenario 1 drill: break a sandbox service (container killed, then removed) and recover it.")
public final class ServiceFailureDrill implements Callable<Integer> {
    static final String PLAN = "drill-sandbox";

    @Mixin
    EmbeddedDrill drill;

    @Option(names = "--faults", split = ",", defaultValue = "kill,remove",
            description = "Faults to inject, in order: kill, stop, remove, unhealthy (default: ${DEFAULT-VALUE}).")
    List<Fault> faults;

    @Option(names = "--rto", defaultValue = "15m",
            description = "RTO budget of the drill plan (default: ${DEFAULT-VALUE}).")
    String rto;

    @Option(names = "--watch", defaultValue = "10s",
            description = "Watch window after recovery (the seed's is 15m; default for a drill: ${DEFAULT-VALUE}).")
    String watch;

    enum Fault {
        kill, stop, remove, unhealthy
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = drill.out();
        Path work = Files.createTempDirectory("roma-dr-drill-");
        Path plansDir = Files.createDirectories(work.resolve("plans"));
        String project = "romadr-drill-" + UUID.randomUUID().toString().substring(0, 6);
        List<ServiceRecoveryReport> reports = new ArrayList<>();

        DockerClient docker = DrillEnvironment.docker("drill");
        String image = SandboxImage.ensure(docker);

        SandboxService sandbox = SandboxService.create(docker, project, image, SandboxService.Options.defaults());
        try {
            Files.writeString(plansDir.resolve(PLAN + ".yaml"),
                    sandbox.planYaml(PLAN, rto, "30s", "500ms", "10s", watch, "2s"));
            try (EmbeddedHost host = drill.startHost(work, plansDir)) {
                out.println("Sandbox service: compose project " + project + ", services " + sandbox.services()
                        + " (image " + image + ")");
                for (Fault fault : faults) {
                    reports.add(runOnce(host, sandbox, fault, out));
                }
            }
        } finally {
            if (!drill.keep()) {
                sandbox.destroy();
                DrillEnvironment.deleteTree(work);
            } else {
                drill.kept("sandbox compose project " + project + " (services " + sandbox.services()
                        + "), work directory " + work, plansDir.resolve(PLAN + ".yaml"));
            }
        }

        List<String> summary = new ArrayList<>();
        boolean allOk = true;
        for (int i = 0; i < reports.size(); i++) {
            ServiceRecoveryReport r = reports.get(i);
            allOk &= r.recoveredWithinRto();
            summary.add(String.format("  %-10s %-10s RTO actual %s / target %s%s", faults.get(i), r.outcome(),
                    r.rtoActualMillis() == null ? "-" : ReportFormatter.clock(r.rtoActualMillis()),
                    ReportFormatter.clock(r.rtoTargetMillis()), r.rtoBreached() ? "  BREACHED" : ""));
        }
        return drill.summary(summary, allOk);
    }

    private ServiceRecoveryReport runOnce(EmbeddedHost host, SandboxService sandbox, Fault fault, PrintWriter out)
            throws Exception {
        String victim = "roma";
        out.println();
        out.println("== Fault: " + describe(fault, victim) + " ==");
        switch (fault) {
            case kill -> sandbox.kill(victim);
            case stop -> sandbox.stop(victim);
            case remove -> sandbox.remove(victim);
            case unhealthy -> sandbox.breakHealth(victim);
        }
        return drill.recover(host, ServiceRecoveryWorkflow.SCENARIO, PLAN,
                new ServiceRecoveryRequest(PLAN, "drill: " + describe(fault, victim), "drill"),
                ServiceRecoveryReport.class,
                new StepPrinter(out));
    }

    private static String describe(Fault fault, String service) {
        return switch (fault) {
            case kill -> "container " + service + " killed (SIGKILL)";
            case stop -> "container " + service + " stopped";
            case remove -> "container " + service + " removed";
            case unhealthy -> "container " + service + " running but failing its health check";
        };
    }
}
