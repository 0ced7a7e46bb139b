package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
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
        SiteSpec site,
        List<ContactSpec> contacts,
        @JsonProperty("notify") NotifySpec notifications,
        DrillsSpec drills,
        RegionsSpec regions,
        SecuritySpec security) {

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
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
        notifications = notifications == null ? NotifySpec.NONE : notifications;
        drills = drills == null ? DrillsSpec.NONE : drills;
        security = security == null ? SecuritySpec.DEFAULTS : security;
    }

    /** A plan without a drill calendar (tests and fixtures written before {@code drills:}). */
    public RecoveryPlan(String name, String description, ServiceSpec service, RtoTargets rto, RpoTargets rpo,
            RecoverySettings recovery, BackupSpec backup, SiteSpec site, List<ContactSpec> contacts,
            NotifySpec notifications) {
        this(name, description, service, rto, rpo, recovery, backup, site, contacts, notifications, null);
    }

    /** A plan in one region only (tests and fixtures written before {@code regions:}). */
    public RecoveryPlan(String name, String description, ServiceSpec service, RtoTargets rto, RpoTargets rpo,
            RecoverySettings recovery, BackupSpec backup, SiteSpec site, List<ContactSpec> contacts,
            NotifySpec notifications, DrillsSpec drills) {
        this(name, description, service, rto, rpo, recovery, backup, site, contacts, notifications, drills, null);
    }

    /** Without a {@code security:} section (tests and fixtures written before it): its defaults. */
    public RecoveryPlan(String name, String description, ServiceSpec service, RtoTargets rto, RpoTargets rpo,
            RecoverySettings recovery, BackupSpec backup, SiteSpec site, List<ContactSpec> contacts,
            NotifySpec notifications, DrillsSpec drills, RegionsSpec regions) {
        this(name, description, service, rto, rpo, recovery, backup, site, contacts, notifications, drills, regions,
                null);
    }
}
