package io.romadr.activities.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/** How every AWS client of the activities is built, and how its errors are told without leaking the request. */
public final class AwsClients {
    public static final String DEFAULT_REGION = "us-east-1";

    private AwsClients() {
    }

    /** {@code region}, or {@value #DEFAULT_REGION} when none is set. */
    public static String region(String region) {
        return region == null || region.isBlank() ? DEFAULT_REGION : region;
    }

    /**
     * The client from {@code builder} with the Apache HTTP client, the credentials and the region; {@code endpoint}
     * null or blank for the real service (an emulator such as moto otherwise).
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
            String region, String endpoint, AwsCredentialsProvider credentials) {
        builder.httpClientBuilder(ApacheHttpClient.builder()).credentialsProvider(credentials)
                .region(Region.of(region(region)));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /**
     * The AWS error code, HTTP status and request id of a service error. The service's message and the cause are left
     * out on purpose: a validation message may quote the request (user data, a secret's value). Client-side failures
     * (connection refused, timeouts) describe the transport, not the request body.
     */
    public static String errorDetail(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + ", request id " + s.requestId() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    public static boolean isCode(AwsServiceException e, String code) {
        return e.awsErrorDetails() != null && code.equals(e.awsErrorDetails().errorCode());
    }
}
