package io.romadr.temporal;

import io.romadr.runtime.PlanInput;
import io.romadr.backup.ArtifactBackupWorkflowImpl;
import io.romadr.backup.BackupAccessAuditWorkflowImpl;
import io.romadr.backup.BackupCatalogWorkflowImpl;
import io.romadr.backup.BackupEventsWorkflowImpl;
import io.romadr.backup.BackupRestoreWorkflowImpl;
import io.romadr.backup.BackupVerificationWorkflowImpl;
import io.romadr.backup.GitMirrorWorkflowImpl;
import io.romadr.backup.ImageMirrorWorkflowImpl;
import io.romadr.backup.LogShippingWorkflowImpl;
import io.romadr.backup.RetentionWorkflowImpl;
import io.romadr.backup.SecretsBackupWorkflowImpl;
import io.romadr.backup.SecretsWatchWorkflowImpl;
import io.romadr.backup.StateSnapshotWorkflowImpl;
import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflowImpl;
import io.romadr.scenario.drill.DrillCatalogWorkflowImpl;
import io.romadr.scenario.drill.DrillNoticeWorkflowImpl;
import io.romadr.scenario.drill.DrillWorkflowImpl;
import io.romadr.scenario.gitloss.GitRecoveryWorkflowImpl;
import io.romadr.scenario.security.SecurityIncidentWorkflowImpl;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl;
import io.romadr.report.ScenarioReport;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflowImpl;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every workflow a roma-dr worker registers, each workflow type's input record and, for the scenario workflows, the
 * report and progress types (read from the workflow and query methods, so they cannot drift from the code). The input
 * check, the input converter and the client-side {@link RecoveryFollower} work from this list.
 */
public final class RomaWorkflows {
    public static final List<Class<?>> IMPLEMENTATIONS = List.of(ServiceRecoveryWorkflowImpl.class,
            StateSnapshotWorkflowImpl.class, ArtifactBackupWorkflowImpl.class, SecretsBackupWorkflowImpl.class,
            BackupRestoreWorkflowImpl.class, RetentionWorkflowImpl.class, BackupCatalogWorkflowImpl.class,
            BackupVerificationWorkflowImpl.class, GitMirrorWorkflowImpl.class, ImageMirrorWorkflowImpl.class,
            GitRecoveryWorkflowImpl.class, DataCorruptionRecoveryWorkflowImpl.class, SiteRecoveryWorkflowImpl.class,
            DrillWorkflowImpl.class, DrillCatalogWorkflowImpl.class, DrillNoticeWorkflowImpl.class,
            BackupAccessAuditWorkflowImpl.class, SecurityIncidentWorkflowImpl.class,
            BackupEventsWorkflowImpl.class,
            SecretsWatchWorkflowImpl.class,
            LogShippingWorkflowImpl.class);

    /** Workflow type name to the record its workflow method takes. */
    public static final Map<String, Class<?>> INPUTS = inputs();

    /** The query every scenario workflow answers with its state so far. */
    public static final String PROGRESS_QUERY = "progress";

    /**
     * Scenario workflow type to the report its workflow method returns (also in a failed run's failure details), read
     * from the code: clients look the type up here instead of switching on it.
     */
    public static final Map<String, Class<? extends ScenarioReport>> REPORTS = scenarioTypes(false);

    /** Scenario workflow type to what its {@value #PROGRESS_QUERY} query answers. */
    public static final Map<String, Class<? extends ScenarioReport>> PROGRESS = scenarioTypes(true);

    private RomaWorkflows() {
    }

    /** The report (or progress) type of a scenario workflow type; an error naming the known ones otherwise. */
    public static Class<? extends ScenarioReport> report(String workflowType, boolean progress) {
        Class<? extends ScenarioReport> type = (progress ? PROGRESS : REPORTS).get(workflowType);
        if (type == null) {
            throw new IllegalArgumentException(workflowType + " is not a scenario workflow (known: "
                    + REPORTS.keySet() + ")");
        }
        return type;
    }

    private static Map<String, Class<? extends ScenarioReport>> scenarioTypes(boolean progress) {
        Map<String, Class<? extends ScenarioReport>> types = new LinkedHashMap<>();
        for (Class<?> impl : IMPLEMENTATIONS) {
            POJOWorkflowImplMetadata metadata = POJOWorkflowImplMetadata.newInstance(impl);
            for (POJOWorkflowMethodMetadata method : metadata.getWorkflowMethods()) {
                Class<?> report = method.getWorkflowMethod().getReturnType();
                if (!ScenarioReport.class.isAssignableFrom(report)) {
                    continue;
                }
                if (progress) {
                    report = metadata.getQueryMethods().stream()
                            .filter(q -> q.getName().equals(PROGRESS_QUERY)).findFirst()
                            .orElseThrow(() -> new IllegalStateException(method.getName() + " has no "
                                    + PROGRESS_QUERY + " query"))
                            .getWorkflowMethod().getReturnType();
                    if (!ScenarioReport.class.isAssignableFrom(report)) {
                        throw new IllegalStateException(method.getName() + "'s progress query must answer a "
                                + "ScenarioReport");
                    }
                }
                types.put(method.getName(), report.asSubclass(ScenarioReport.class));
            }
        }
        return Collections.unmodifiableMap(types);
    }

    private static Map<String, Class<?>> inputs() {
        Map<String, Class<?>> inputs = new LinkedHashMap<>();
        for (Class<?> impl : IMPLEMENTATIONS) {
            for (POJOWorkflowMethodMetadata method : POJOWorkflowImplMetadata.newInstance(impl).getWorkflowMethods()) {
                Class<?>[] parameters = method.getWorkflowMethod().getParameterTypes();
                if (parameters.length != 1 || !parameters[0].isRecord()
                        || !PlanInput.class.isAssignableFrom(parameters[0])) {
                    throw new IllegalStateException(method.getName() + " must take one record that is a PlanInput");
                }
                inputs.put(method.getName(), parameters[0]);
            }
        }
        return Collections.unmodifiableMap(inputs);
    }
}
