package io.romadr.temporal;

import io.romadr.backup.ArtifactBackupWorkflowImpl;
import io.romadr.backup.BackupCatalogWorkflowImpl;
import io.romadr.backup.BackupRestoreWorkflowImpl;
import io.romadr.backup.BackupVerificationWorkflowImpl;
import io.romadr.backup.GitMirrorWorkflowImpl;
import io.romadr.backup.ImageMirrorWorkflowImpl;
import io.romadr.backup.RetentionWorkflowImpl;
import io.romadr.backup.SecretsBackupWorkflowImpl;
import io.romadr.backup.StateSnapshotWorkflowImpl;
import io.romadr.corruption.DataCorruptionRecoveryWorkflowImpl;
import io.romadr.gitrecovery.GitRecoveryWorkflowImpl;
import io.romadr.recovery.ServiceRecoveryWorkflowImpl;
import io.romadr.site.SiteRecoveryWorkflowImpl;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every workflow a roma-dr worker registers, and each workflow type's input record (read from the workflow
 * method, so it cannot drift from the code). The input check and the input converter work from this list.
 */
public final class RomaWorkflows {
    public static final List<Class<?>> IMPLEMENTATIONS = List.of(ServiceRecoveryWorkflowImpl.class,
            StateSnapshotWorkflowImpl.class, ArtifactBackupWorkflowImpl.class, SecretsBackupWorkflowImpl.class,
            BackupRestoreWorkflowImpl.class, RetentionWorkflowImpl.class, BackupCatalogWorkflowImpl.class,
            BackupVerificationWorkflowImpl.class, GitMirrorWorkflowImpl.class, ImageMirrorWorkflowImpl.class,
            GitRecoveryWorkflowImpl.class, DataCorruptionRecoveryWorkflowImpl.class, SiteRecoveryWorkflowImpl.class);

    /** Workflow type name to the record its workflow method takes. */
    public static final Map<String, Class<?>> INPUTS = inputs();

    private RomaWorkflows() {
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
