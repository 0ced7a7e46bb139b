package io.romadr.scenario.drill;

/**
 * What was injected.
 *
 * @param injected  true when this attempt broke the target; false when an earlier attempt already had
 * @param downBefore the target was down before the drill began (the drill broke nothing; its report says so)
 * @param detail    "killed roma-roma-1 (SIGKILL)", "roma-roma-1 already stopped at ... by an earlier attempt"
 * @param attempt   the activity attempt
 */
public record FaultResult(boolean injected, boolean downBefore, String detail, int attempt) {
}
