package io.romadr.activities.compute;

import io.romadr.activities.digest.Sha256;

/**
 * Identifies one launch: the plan, the workflow run and the step within it. A retried or re-run step has the same
 * key, so it finds (or, through the ClientToken, gets back) the instance it launched before instead of a second one.
 */
public record LaunchKey(String plan, String workflowId, String step) {
    static final String TAG_PREFIX = "roma-dr:";
    static final String PLAN_TAG = TAG_PREFIX + "plan";
    static final String WORKFLOW_TAG = TAG_PREFIX + "workflow";
    static final String KEY_TAG = TAG_PREFIX + "key";
    // EC2 tag values are at most 256 characters.
    private static final int MAX_TAG_VALUE = 256;

    public LaunchKey {
        require("plan", plan);
        require("workflowId", workflowId);
        require("step", step);
        if (value(workflowId, step).length() > MAX_TAG_VALUE) {
            throw new IllegalArgumentException("workflowId and step together exceed " + MAX_TAG_VALUE
                    + " characters, too long for an EC2 tag");
        }
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > MAX_TAG_VALUE) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_TAG_VALUE + " characters");
        }
    }

    private static String value(String workflowId, String step) {
        return workflowId + "/" + step;
    }

    /** The idempotency key, stored in the {@code roma-dr:key} tag. */
    public String value() {
        return value(workflowId, step);
    }

    /** The RunInstances ClientToken: SHA-256 of the key in hex, 64 characters (the EC2 limit). */
    public String clientToken() {
        return Sha256.hex(value());
    }
}
