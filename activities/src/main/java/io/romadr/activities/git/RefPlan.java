package io.romadr.activities.git;

import java.util.List;
import java.util.Map;

/**
 * What a push must do to one backup: {@code create}/{@code update}/{@code delete} hold ref name -> new id (a delete's
 * new id is null); {@code forced} names the updates that are not fast-forwards (allowed by allowForceUpdate);
 * {@code refused} holds "ref: reason" for refs left alone; {@code expectedOld} is each pushed ref's id on the backup
 * as listed (null for a create), sent with the push so a concurrent change is rejected rather than overwritten.
 */
record RefPlan(Map<String, String> create, Map<String, String> update, List<String> delete, List<String> forced,
        List<String> refused, List<String> unchanged, Map<String, String> expectedOld) {

    RefPlan {
        create = Map.copyOf(create);
        update = Map.copyOf(update);
        delete = List.copyOf(delete);
        forced = List.copyOf(forced);
        refused = List.copyOf(refused);
        unchanged = List.copyOf(unchanged);
        expectedOld = Map.copyOf(expectedOld);
    }

    boolean nothingToPush() {
        return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }

    /** Refs the push leaves alone on purpose: their name only, without the reason. */
    List<String> refusedRefs() {
        return refused.stream().map(r -> r.substring(0, r.indexOf(':'))).toList();
    }
}
