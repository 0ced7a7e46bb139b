package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * One service's recovery plan, loaded from {@code <plans-dir>/<name>.yaml}. Every scenario workflow receives a plan
 * name and loads the plan through an activity, so the workflow history records exactly what was used.
 */
public record RecoveryPlan(
        @JsonProperty(required = true) String name,
        String description,
        @JsonProperty(required = true) ServiceSpec service,
        @JsonProperty(required = true) RtoTargets rto,
        RpoTargets rpo,
        RecoverySettings recovery,
        BackupSpec backup,
        SiteSpec site) {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** Plan names are file names too: lower-case letters, digits, '.', '_' or '-', at most 63. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public RecoveryPlan {
        InvalidFieldException.requireText(name, "name");
        InvalidFieldException.require(NAME.matcher(name).matches(), "name",
                "must be lower-case letters, digits, '.', '_' or '-' (at most 63), got \"" + name + "\"");
        description = description == null ? "" : description;
        rpo = rpo == null ? RpoTargets.SEED : rpo;
        recovery = recovery == null ? RecoverySettings.DEFAULTS : recovery;
        if (backup != null && service != null) {
            requireContainer(service, backup.state() == null ? null : backup.state().service(),
                    "backup.state.service");
            requireContainer(service, backup.artifacts() == null ? null : backup.artifacts().service(),
                    "backup.artifacts.service");
            requireContainer(service, backup.artifacts() == null ? null : backup.artifacts().recovery().producer(),
                    "backup.artifacts.recovery.producer");
        }
    }

    /** A reference to a service must name one of the plan's containers, or a step would act on nothing. */
    private static void requireContainer(ServiceSpec service, String name, String field) {
        InvalidFieldException.require(name == null || service.serviceNames().contains(name), field,
                "\"" + name + "\" is not a container of this plan; expected one of " + service.serviceNames());
    }
}
