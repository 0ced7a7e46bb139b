package io.romadr.report;

/**
 * A later trigger of a recovery that is already running (an alert firing again or resolving, a webhook call, a CLI
 * start, a drill), sent as the signal {@code triggerNotice} to whichever scenario workflow handles the plan, and
 * recorded in its timeline as a step {@code trigger-<status>}. It does not change what the recovery does.
 *
 * @param source      what sent it: {@code alertmanager}, {@code webhook}, {@code cli}, {@code drill}
 * @param requestedBy who, e.g. {@code cli:alice}
 * @param reference   what it is about: alert fingerprints, a dedupe key; may be empty
 * @param status      {@code firing}, {@code resolved} or {@code requested}
 * @param at          when the source says it happened, as it wrote it (e.g. RFC 3339); may be empty
 * @param summary     one line: the alert name and summary, or the reason given
 */
public record TriggerNotice(String source, String requestedBy, String reference, String status, String at,
        String summary) {
    /** Longest timeline line a notice makes: a notice carries text from outside. */
    public static final int MAX_LINE = 500;

    /** The timeline step's name. */
    public String step() {
        return "trigger-" + (status == null || status.isBlank() ? "requested" : status);
    }

    /** The timeline step's detail: {@code alertmanager (by alertmanager) 3f2a... at <time>: RomaDown: ...}. */
    public String line() {
        String text = blank(source) ? "unknown source" : source;
        if (!blank(requestedBy) && !requestedBy.equals(source)) {
            text += " (by " + requestedBy + ")";
        }
        text += (blank(reference) ? "" : " " + reference) + (blank(at) ? "" : " at " + at)
                + (blank(summary) ? "" : ": " + summary);
        return text.length() > MAX_LINE ? text.substring(0, MAX_LINE) + "..." : text;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
