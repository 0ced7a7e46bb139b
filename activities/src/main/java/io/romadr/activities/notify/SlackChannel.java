package io.romadr.activities.notify;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.webhook.Payload;
import com.slack.api.webhook.WebhookResponse;
import io.romadr.activities.credentials.Secret;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook, through Slack's Java SDK, with a Block Kit message: a header (severity and title), the
 * plan, scenario, step and RTO used as fields, the detail, the next action (commands in code spans) and a button to
 * the run in the Temporal Web UI; {@code text} is the fallback for notifications. A resolution reads "Resolved: ...".
 * Slack does not deduplicate: a retry after a lost answer may post twice. The webhook URL is the credential, so the
 * SDK's request-logging listeners are removed and failures are described without its messages.
 */
public final class SlackChannel implements Channel {
    /** Block Kit limits: header text 150, section text 3000, a field 2000, 10 fields, button text 75. */
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION = 3000;
    static final int MAX_FIELD = 2000;

    private final NotificationSettings settings;
    private final Map<String, String> environment;
    private final Slack slack;

    public SlackChannel(NotificationSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = environment;
        SlackConfig config = new SlackConfig();
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        config.setHttpClientCallTimeoutMillis(millis);
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientWriteTimeoutMillis(millis);
        config.setPrettyResponseLoggingEnabled(false);
        // The default listeners log each request's URL at debug level, and a webhook URL is a secret.
        config.setHttpClientResponseHandlers(new ArrayList<>());
        this.slack = Slack.getInstance(config);
    }

    @Override
    public ChannelType type() {
        return ChannelType.SLACK;
    }

    @Override
    public String send(Delivery delivery, String link) throws Exception {
        String target = delivery.to().target();
        NotificationSettings.SecretRef ref = settings.slack().get(target);
        if (ref == null) {
            throw new UnknownTargetException("no Slack webhook named '" + target + "' is configured on this worker "
                    + "(notifications.slack)");
        }
        String url = Secret.resolve("Slack webhook '" + target + "'", ref.file(), ref.env(), environment)
                .orElseThrow(() -> new UnknownTargetException("the Slack webhook '" + target + "' names neither a "
                        + "file nor an environment variable"))
                .text();
        WebhookResponse response;
        try {
            response = slack.send(url, message(delivery.notice(), link));
        } catch (IOException | RuntimeException e) {
            throw new IOException("Slack webhook '" + target + "' did not take the message: "
                    + ChannelFailure.describe(e, settings.timeout()));
        }
        String body = response.getBody() == null ? "" : response.getBody().strip();
        if (response.getCode() / 100 != 2 || !"ok".equals(body)) {
            throw new IOException("Slack webhook '" + target + "' refused the message: HTTP " + response.getCode()
                    + " " + NoticeText.cut(ChannelFailure.redact(body, url), 200));
        }
        return "posted to Slack '" + target + "' (HTTP " + response.getCode() + " ok)";
    }

    /** The message: fallback text and Block Kit blocks. */
    static Payload message(Notice notice, String link) {
        String title = NoticeText.title(notice);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(NoticeText.cut(emoji(notice) + " " + title, MAX_HEADER), true))));
        List<TextObject> fields = List.of(field("Plan", notice.plan()), field("Scenario", notice.scenario()), field(
                "Step", notice.step()), field("RTO used", NoticeText.rtoUsed(notice)));
        blocks.add(section(s -> s.fields(fields)));
        if (!notice.detail().isBlank()) {
            blocks.add(section(s -> s.text(markdownText(NoticeText.cut(escape(notice.detail()), MAX_SECTION)))));
        }
        if (!notice.nextAction().isBlank()) {
            blocks.add(section(s -> s.text(markdownText(NoticeText.cut("*Next action*\n" + nextAction(notice
                    .nextAction()), MAX_SECTION)))));
        }
        if (!link.isEmpty()) {
            blocks.add(actions(a -> a.elements(List.of(button(b -> b.text(plainText("Open in Temporal")).url(link)
                    .actionId("open-in-temporal"))))));
        }
        String text = NoticeText.cut(title + " (plan " + notice.plan() + ", RTO used " + NoticeText.rtoUsed(notice)
                + ")", MAX_SECTION);
        return Payload.builder().text(text).blocks(blocks).build();
    }

    private static TextObject field(String name, String value) {
        return markdownText(NoticeText.cut("*" + name + "*\n" + (value.isBlank() ? "-" : escape(value)), MAX_FIELD));
    }

    private static String emoji(Notice notice) {
        if (notice.resolve()) {
            return "✅";
        }
        NotifyEvent.Severity severity = notice.event().severity();
        return switch (severity) {
            case CRITICAL -> "🚨";
            case WARNING -> "⚠️";
            case INFO -> "ℹ️";
        };
    }

    /** Each line's {@code roma-dr ...} command in a code span, so it can be copied as is. */
    static String nextAction(String nextAction) {
        StringBuilder out = new StringBuilder();
        for (String line : nextAction.strip().split("\n")) {
            int command = line.indexOf("roma-dr ");
            if (out.length() > 0) {
                out.append('\n');
            }
            if (command < 0 || line.contains("`")) {
                out.append(escape(line));
            } else {
                out.append(escape(line.substring(0, command))).append('`').append(escape(line.substring(command)
                        .strip())).append('`');
            }
        }
        return out.toString();
    }

    /** Slack's mrkdwn control characters, escaped as its documentation asks. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
