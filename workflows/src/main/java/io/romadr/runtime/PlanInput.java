package io.romadr.runtime;

/** A workflow input: every roma-dr workflow acts on one plan, named by its file in the plans directory. */
public interface PlanInput {
    String plan();

    /** Who or what started the run, where the input says (the records' own accessor). */
    default String requestedBy() {
        return "";
    }
}
