package io.romadr.scenario.drill;

/**
 * One drill report in a backup store, as {@code roma-dr drills list} shows it ("Last Tested").
 *
 * @param plan            the drilled plan
 * @param scenario        its scenario id
 * @param drillId         the DrillWorkflow's id
 * @param date            the drill's date (yyyy-MM-dd, UTC)
 * @param startedAt       epoch millis the drill started
 * @param success         Success: Yes/No
 * @param rtoTargetMillis the RTO target
 * @param rtoActualMillis the RTO actual (null: not recovered)
 * @param signedOff       every role signed off
 * @param location        where the report is, for a person: the HTML object's URI ("file:///.../x.html",
 *                        "s3://bucket/drills/roma/x.html")
 * @param keyPrefix       the objects' key without the extension ({@code drills/<plan>/<date>-<scenario>-<id>})
 */
public record StoredDrillReport(String plan, String scenario, String drillId, String date, long startedAt,
        boolean success, long rtoTargetMillis, Long rtoActualMillis, boolean signedOff, String location,
        String keyPrefix) {
}
