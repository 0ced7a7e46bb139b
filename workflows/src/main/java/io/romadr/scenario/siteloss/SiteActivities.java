package io.romadr.scenario.siteloss;

import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.HealthResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Scenario 3's side effects on the replacement server, its DNS record and the backups. Every method is idempotent:
 * provisioning by key, copies overwrite, started services are left running, DNS changes only what differs,
 * terminate of a gone server is a no-op. Long ones heartbeat.
 */
@ActivityInterface(namePrefix = "Site")
public interface SiteActivities {
    @ActivityMethod
    SiteServer provision(ProvisionRequest request);

    @ActivityMethod
    SiteServer awaitReady(SiteTarget target);

    @ActivityMethod
    ActionResult runOnServer(ServerCommandRequest request);

    @ActivityMethod
    SourceResult installSource(SourceRequest request);

    @ActivityMethod
    SecretsInstallResult installSecrets(SecretsInstallRequest request);

    @ActivityMethod
    ImagePullResult pullImages(ImagePullRequest request);

    @ActivityMethod
    ActionResult startServices(StartServicesRequest request);

    @ActivityMethod
    SiteRestoreResult restoreData(SiteRestoreRequest request);

    /** Polls until every check passes or the request's {@code within} is spent; answers the last round. */
    @ActivityMethod
    HealthResult checkHealth(SiteHealthRequest request);

    @ActivityMethod
    ArtifactCheck validateArtifacts(SiteArtifactsRequest request);

    /** The record as it is now, or null when there is none. */
    @ActivityMethod
    DnsValue currentDns(DnsRequest request);

    /** Makes the record say {@code values} and returns once the change is in effect (Route53: INSYNC). */
    @ActivityMethod
    DnsOutcome updateDns(DnsRequest request);

    /** Compensation: puts {@code previous} back (or deletes the record when there was none). */
    @ActivityMethod
    DnsOutcome restoreDns(DnsRequest request);

    /** Compensation: removes the server and what was made for it; false when it was already gone. */
    @ActivityMethod
    boolean terminate(SiteTarget target);
}
