package io.romadr.scenario.security;

import java.util.List;

/** The affected containers as found, and the services that have none. Reads only. */
public record IncidentAssessment(List<IncidentContainer> containers, List<String> missingServices) {
    public IncidentAssessment {
        containers = containers == null ? List.of() : List.copyOf(containers);
        missingServices = missingServices == null ? List.of() : List.copyOf(missingServices);
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (IncidentContainer c : containers) {
            sb.append(c.name()).append(' ').append(c.state()).append(" on ").append(String.join(",", c.networks()))
                    .append(" image ").append(c.image()).append("; ");
        }
        for (String m : missingServices) {
            sb.append(m).append(" has no container; ");
        }
        return sb.length() == 0 ? "nothing found" : sb.substring(0, sb.length() - 2);
    }
}
