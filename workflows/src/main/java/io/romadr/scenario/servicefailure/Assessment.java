package io.romadr.scenario.servicefailure;

import java.util.List;

/** The seed's "Step 1: Assess damage": what runs, the engine, disk space, recent logs. */
public record Assessment(
        boolean engineReachable,
        String engineVersion,
        long diskFreeBytes,
        long diskTotalBytes,
        List<ContainerStatus> containers,
        List<String> missingServices,
        int attempt) {

    public Assessment {
        containers = containers == null ? List.of() : List.copyOf(containers);
        missingServices = missingServices == null ? List.of() : List.copyOf(missingServices);
    }

    public boolean allRunning() {
        return engineReachable && missingServices.isEmpty() && containers.stream().allMatch(ContainerStatus::running);
    }

    /**
     * The services whose container is missing or not running; empty when all run (then a failing health check
     * cannot tell which one is sick, and every service is acted on).
     */
    public List<String> brokenServices() {
        List<String> broken = new java.util.ArrayList<>(missingServices);
        for (ContainerStatus c : containers) {
            if (!c.running() && !broken.contains(c.service())) {
                broken.add(c.service());
            }
        }
        return broken;
    }

    public String summary() {
        if (!engineReachable) {
            return "Docker engine unreachable";
        }
        StringBuilder sb = new StringBuilder();
        for (ContainerStatus c : containers) {
            sb.append(c.service()).append('=').append(c.state());
            if (c.health() != null && !c.health().isEmpty()) {
                sb.append('/').append(c.health());
            }
            if (!"running".equals(c.state())) {
                sb.append("(exit ").append(c.exitCode()).append(')');
            }
            sb.append(' ');
        }
        for (String m : missingServices) {
            sb.append(m).append("=missing ");
        }
        sb.append("disk free ").append(diskFreeBytes / (1024 * 1024)).append(" MiB");
        return sb.toString().trim();
    }
}
