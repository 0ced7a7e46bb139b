package io.romadr.activities.site;

import io.romadr.activities.dns.DnsProvider;
import io.romadr.activities.dns.LocalZoneFileDns;
import io.romadr.activities.dns.Route53Dns;
import io.romadr.plan.SiteSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/** The DNS provider a plan's {@code site.dns} names: Route53 (waits for INSYNC) or a local zone file. */
public final class DnsProviders {
    private final AwsCredentialsProvider credentials;
    private final Duration syncDeadline;
    private final Duration pollInterval;

    public DnsProviders(AwsCredentialsProvider credentials, Duration syncDeadline, Duration pollInterval) {
        this.credentials = credentials;
        this.syncDeadline = syncDeadline;
        this.pollInterval = pollInterval;
    }

    /** Runs {@code use} against the provider and closes what it opened. */
    public <T> T with(SiteSpec.SiteDns dns, java.util.function.Function<DnsProvider, T> use) {
        if (dns.provider().equals("route53")) {
            try (Route53Client client = Route53Dns.client(dns.endpoint() == null || dns.endpoint().isBlank()
                    ? null
                    : URI.create(dns.endpoint()), Region.of(dns.region()), credentials)) {
                return use.apply(new Route53Dns(client, syncDeadline, pollInterval));
            }
        }
        return use.apply(new LocalZoneFileDns(Path.of(dns.zoneFile())));
    }
}
