package io.romadr.scenario.datacorruption;

/**
 * How bad it is: {@code none}, {@code localized} (at most the plan's threshold of the files broken) or
 * {@code widespread}. Pure; the workflow and its tests use {@link #classify}.
 */
public record Corruption(String extent, int invalid, int total) {
    public static final String NONE = "none";
    public static final String LOCALIZED = "localized";
    public static final String WIDESPREAD = "widespread";

    public static Corruption classify(ArtifactCheck check, double widespreadAbove) {
        int bad = check.invalid().size();
        if (bad == 0) {
            return new Corruption(NONE, 0, check.total());
        }
        double fraction = check.total() == 0 ? 1 : (double) bad / check.total();
        return new Corruption(fraction > widespreadAbove ? WIDESPREAD : LOCALIZED, bad, check.total());
    }

    @Override
    public String toString() {
        return extent + ": " + invalid + " of " + total + " artifact(s) invalid";
    }
}
