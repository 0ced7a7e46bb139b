package io.romadr.scenario.servicefailure;

/**
 * One container of the service as the engine reports it. {@code logTail} is the last lines of its log with
 * anything that looks like a credential masked, since it ends up in workflow history.
 */
public record ContainerStatus(
        String service, String containerId, String name, String state, String health, int exitCode,
        int restartCount, String logTail) {

    public boolean running() {
        return "running".equals(state) && !"unhealthy".equals(health);
    }
}
