package io.romadr.runtime;

import io.romadr.report.TriggerNotice;
import io.temporal.workflow.SignalMethod;

/**
 * The signal every scenario workflow takes (its workflow interface extends this one): a later trigger of the
 * recovery, recorded in its timeline. The SDK registers an inherited handler under the same name.
 */
public interface TriggerSignal {
    /** The signal's name: every starter (and every start that attaches to a running recovery) sends it. */
    String NAME = "triggerNotice";

    /** A later trigger of this recovery (see {@link TriggerNotice}); recorded in the timeline. */
    @SignalMethod(name = NAME)
    void triggerNotice(TriggerNotice notice);
}
