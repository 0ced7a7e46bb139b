package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 3, total loss of the server: where the replacement comes from ({@code provider}: {@code docker} for a
 * container on the worker's Docker engine, the embedded default; {@code aws} for an EC2 instance), what runs on it
 * (seed step 2 {@code bootstrap}, step 3 {@code build} in {@code appDir}), where the decrypted secrets go
 * ({@code envFile}, mode 0600), the DNS record to move ({@code dns}; without it there is no cut-over step), whether an
 * operator must approve the cut-over ({@code approveCutover}), whether a failed recovery keeps its server for forensics
 * ({@code keepOnFailure}), and the watch window after the cut-over (seed: "Monitor for 30 minutes").
 * Data the services keep must live under {@code /srv} on the server (the templates' mounts): that is what is restored.
 * {@code failover} is where the server comes from when the primary region is lost (docs/regions.md).
 */
public record SiteSpec(
        String provider,
        DockerSite docker,
        AwsSite aws,
        String appDir,
        String envFile,
        List<CommandStep> bootstrap,
        List<CommandStep> build,
        List<CommandStep> verify,
        SiteDns dns,
        Boolean approveCutover,
        @JsonDeserialize(using = DurationDeserializer.class) Duration approvalTimeout,
        Boolean keepOnFailure,
        @JsonDeserialize(using = DurationDeserializer.class) Duration readyTimeout,
        @JsonDeserialize(using = DurationDeserializer.class) Duration watchWindow,
        @JsonDeserialize(using = DurationDeserializer.class) Duration watchInterval,
        FailoverSite failover) {

    public static final List<String> PROVIDERS = List.of("docker", "aws");
    /** Where a server's data lives; template mounts from here are what a site restore fills. */
    public static final String SERVER_ROOT = "/srv";

    public SiteSpec {
        provider = provider == null || provider.isBlank() ? "docker" : provider;
        InvalidFieldException.require(PROVIDERS.contains(provider), "provider",
                "expected one of " + PROVIDERS + ", got \"" + provider + "\"");
        appDir = appDir == null || appDir.isBlank() ? SERVER_ROOT + "/app" : appDir;
        InvalidFieldException.require(underServerRoot(appDir), "appDir",
                "must be a directory under " + SERVER_ROOT + ", got \"" + appDir + "\"");
        envFile = envFile == null || envFile.isBlank() ? appDir + "/.env" : envFile;
        InvalidFieldException.require(underServerRoot(envFile), "envFile",
                "must be a file under " + SERVER_ROOT + ", got \"" + envFile + "\"");
        bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
        build = build == null ? List.of() : List.copyOf(build);
        verify = verify == null ? List.of() : List.copyOf(verify);
        approveCutover = approveCutover != null && approveCutover;
        approvalTimeout = approvalTimeout == null ? Duration.ofHours(1) : approvalTimeout;
        keepOnFailure = keepOnFailure != null && keepOnFailure;
        readyTimeout = readyTimeout == null ? Duration.ofMinutes(10) : readyTimeout;
        watchWindow = watchWindow == null ? Duration.ofMinutes(30) : watchWindow;
        watchInterval = watchInterval == null ? Duration.ofSeconds(30) : watchInterval;
        InvalidFieldException.require(!approvalTimeout.isNegative() && !approvalTimeout.isZero(), "approvalTimeout",
                "must be positive");
        InvalidFieldException.require(!readyTimeout.isNegative() && !readyTimeout.isZero(), "readyTimeout",
                "must be positive");
        InvalidFieldException.require(!watchWindow.isNegative(), "watchWindow", "must not be negative");
        InvalidFieldException.require(!watchInterval.isNegative() && !watchInterval.isZero(), "watchInterval",
                "must be positive");
    }

    /** A site without a failover region (tests and fixtures written before {@code site.failover}). */
    public SiteSpec(String provider, DockerSite docker, AwsSite aws, String appDir, String envFile,
            List<CommandStep> bootstrap, List<CommandStep> build, List<CommandStep> verify, SiteDns dns,
            Boolean approveCutover, Duration approvalTimeout, Boolean keepOnFailure, Duration readyTimeout,
            Duration watchWindow, Duration watchInterval) {
        this(provider, docker, aws, appDir, envFile, bootstrap, build, verify, dns, approveCutover, approvalTimeout,
                keepOnFailure, readyTimeout, watchWindow, watchInterval, null);
    }

    /**
     * This site as it is rebuilt in the failover region: the server comes from {@code failover} (its provider and
     * its docker or aws settings), everything else (commands, paths, DNS, timeouts) stays the same.
     */
    public SiteSpec inFailoverRegion() {
        InvalidFieldException.require(failover != null, "failover", "is required for a region outage");
        return new SiteSpec(failover.provider(), failover.docker(), failover.aws(), appDir, envFile, bootstrap, build,
                verify, dns, approveCutover, approvalTimeout, keepOnFailure, readyTimeout, watchWindow, watchInterval,
                failover);
    }

    /** True for an absolute path at or below {@code /srv} without {@code ..} segments. */
    public static boolean underServerRoot(String path) {
        return path != null && (path.equals(SERVER_ROOT) || path.startsWith(SERVER_ROOT + "/"))
                && !List.of(path.split("/")).contains("..");
    }

    /** The docker provider: the server is a container made from {@code image} (must exist on the engine). */
    public record DockerSite(@JsonProperty(required = true) String image) {
        public DockerSite {
            InvalidFieldException.requireText(image, "image");
        }
    }

    /**
     * The aws provider (seed step 1's {@code aws ec2 run-instances}): AMI, instance type, key pair, security groups,
     * subnet; {@code stagingBucket} is the S3 bucket files pass through on their way to the instance (source tree,
     * restored data); {@code start} are the commands that pull the images and start the services on the instance
     * (env {@code ROMA_DR_REGISTRY} names the registry that answered); {@code endpoint} only for emulators.
     */
    public record AwsSite(String region, String endpoint, @JsonProperty(required = true) String ami,
            String instanceType, String keyName, List<String> securityGroupIds, String subnetId, String stagingBucket,
            List<CommandStep> start) {
        public AwsSite {
            region = region == null || region.isBlank() ? "us-east-1" : region;
            InvalidFieldException.requireText(ami, "ami");
            instanceType = instanceType == null || instanceType.isBlank() ? "t3.large" : instanceType;
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
            start = start == null ? List.of() : List.copyOf(start);
        }
    }

    /**
     * {@code site.failover}: the server that replaces the site in the failover region ({@code regions.failover}) when
     * the primary region is lost. {@code aws} is the same record as {@code site.aws} (its {@code region} must be the
     * failover region); {@code docker} a container on the failover region's worker's engine. {@code provider} defaults
     * to aws when {@code aws} is given, else docker.
     */
    public record FailoverSite(String provider, DockerSite docker, AwsSite aws) {
        public FailoverSite {
            provider = provider == null || provider.isBlank() ? (aws != null ? "aws" : "docker") : provider;
            InvalidFieldException.require(PROVIDERS.contains(provider), "provider",
                    "expected one of " + PROVIDERS + ", got \"" + provider + "\"");
            InvalidFieldException.require(!provider.equals("aws") || aws != null, "aws",
                    "is required for the aws provider (ami, region, instanceType, ...)");
            InvalidFieldException.require(!provider.equals("docker") || docker != null, "docker",
                    "is required for the docker provider (image)");
        }
    }

    /**
     * The record that sends users to the site: {@code provider} {@code route53} (zone = hosted zone id or name) or
     * {@code zone-file} (a local zone file on the worker, {@code zoneFile}); the new server's address becomes its
     * value.
     */
    public record SiteDns(String provider, @JsonProperty(required = true) String zone,
            @JsonProperty(required = true) String name, String type, Long ttl, String zoneFile, String region,
            String endpoint) {
        public SiteDns {
            provider = provider == null || provider.isBlank() ? "zone-file" : provider;
            InvalidFieldException.require(List.of("route53", "zone-file").contains(provider), "provider",
                    "expected route53 or zone-file, got \"" + provider + "\"");
            InvalidFieldException.requireText(zone, "zone");
            InvalidFieldException.requireText(name, "name");
            type = type == null || type.isBlank() ? "A" : type;
            ttl = ttl == null ? 60L : ttl;
            InvalidFieldException.require(ttl >= 0, "ttl", "must not be negative");
            InvalidFieldException.require(!provider.equals("zone-file") || (zoneFile != null && !zoneFile.isBlank()),
                    "zoneFile", "is required for the zone-file provider");
            region = region == null || region.isBlank() ? "us-east-1" : region;
        }
    }
}
