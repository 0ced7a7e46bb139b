package io.romadr.temporal;

import io.romadr.report.TriggerNotice;
import io.temporal.workflow.SignalMethod;

/**
 * The signal every scenario workflow takes (its workflow interface extends this one): a later trigger of the
 * recovery, recorded in its timeline. The SDK registers an inherited handler under the same name.
 */
public interface TriggerSignal {
    /** A later trigger of this recovery (see {@link TriggerNotice}); recorded in the timeline. */
    @SignalMethod(name = RecoveryStarter.TRIGGER_SIGNAL)
    void triggerNotice(TriggerNotice notice);
}
