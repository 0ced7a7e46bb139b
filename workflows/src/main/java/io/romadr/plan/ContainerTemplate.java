package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How to create a service's container from nothing (the subset of a compose service roma-dr understands). {@code env}
 * holds no secret: see {@link EnvValue} ({@code {fromEnv: VAR}}, {@code {fromFile: /path}}).
 */
public record ContainerTemplate(
        @JsonProperty(required = true) String image,
        List<String> command,
        Map<String, EnvValue> env,
        List<String> ports,
        List<String> mounts,
        Map<String, String> labels,
        String restartPolicy,
        Boolean init) {

    /** {@code [hostIp:]hostPort:containerPort[/tcp|udp]}, as in compose. */
    static final Pattern PORT = Pattern.compile("(?:([0-9a-fA-F.:\\[\\]]+):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?");
    /** {@code source:target[:ro|rw]}. */
    static final Pattern MOUNT = Pattern.compile("[^:]+:/[^:]*(?::(ro|rw))?");

    public ContainerTemplate {
        InvalidFieldException.requireText(image, "image");
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        ports = ports == null ? List.of() : List.copyOf(ports);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        restartPolicy = restartPolicy == null ? "no" : restartPolicy;
        init = init == null ? Boolean.TRUE : init;
        for (String p : ports) {
            var m = PORT.matcher(p);
            InvalidFieldException.require(m.matches(), "ports",
                    "expected [hostIp:]hostPort:containerPort[/tcp|udp], got \"" + p + "\"");
            InvalidFieldException.require(isPort(m.group(2)) && isPort(m.group(3)), "ports",
                    "port numbers are 1 to 65535, got \"" + p + "\"");
        }
        for (String m : mounts) {
            InvalidFieldException.require(MOUNT.matcher(m).matches(), "mounts",
                    "expected source:/target[:ro|rw], got \"" + m + "\"");
        }
        InvalidFieldException.require(
                List.of("no", "always", "unless-stopped", "on-failure").contains(restartPolicy), "restartPolicy",
                "expected no, always, unless-stopped or on-failure, got \"" + restartPolicy + "\"");
    }

    static boolean isPort(String digits) {
        int n = Integer.parseInt(digits);
        return n >= 1 && n <= 65_535;
    }
}
