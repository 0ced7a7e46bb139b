package io.romadr.activities.aws;

import io.romadr.plan.StoreCredentials;
import java.net.URI;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
     * The credentials a plan's store names: the default chain without {@code credentials}, the shared-config profile,
     * or the values of the environment variables it names (read through {@code env}, the worker's environment in
     * production). A variable that is not set fails with its name only.
     */
    public static AwsCredentialsProvider credentials(StoreCredentials credentials, UnaryOperator<String> env) {
        if (credentials == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (credentials.profile() != null && !credentials.profile().isBlank()) {
            return ProfileCredentialsProvider.builder().profileName(credentials.profile()).build();
        }
        String keyId = required(env, credentials.accessKeyIdEnv());
        String secret = required(env, credentials.secretAccessKeyEnv());
        AwsCredentials values = credentials.sessionTokenEnv() == null
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, required(env, credentials.sessionTokenEnv()));
        return StaticCredentialsProvider.create(values);
    }

    private static String required(UnaryOperator<String> env, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name
                    + " (named by the plan's store credentials) is not set on this worker");
        }
        return value;
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
