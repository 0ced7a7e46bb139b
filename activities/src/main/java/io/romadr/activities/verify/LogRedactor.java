package io.romadr.activities.verify;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credential-looking values in text that is about to be stored in workflow history (log tails, command and
 * check output): {@code password=...}, {@code token: ...}, {@code "secret": "..."}, Authorization / Bearer headers,
 * credentials in URLs, AWS access key ids, JWTs, GitHub tokens and PEM private keys. It errs on the side of masking.
 */
public final class LogRedactor {
    public static final String MASK = "****";

    private static final String KEY_WORDS = "passw(?:or)?d|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey"
            + "|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|session[_-]?key|client[_-]?secret";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // PEM private keys, whole block (or up to the end of the text if cut).
            new Rule(Pattern.compile(
                    "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\\z)"),
                    "-----BEGIN PRIVATE KEY-----" + MASK + "-----END PRIVATE KEY-----"),
            // Authorization: Bearer xyz / Authorization: Basic xyz / Authorization: xyz
            new Rule(Pattern.compile(
                    "(?i)((?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?)(?:(bearer|basic|token|digest|aws4-hmac-sha256)\\s+)?[^\\s\"',;]+[^\\r\\n\"']*"),
                    "$1$2 " + MASK),
            new Rule(Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{4,}"), "$1 " + MASK),
            // key=value, key: value, "key": "value", KEY_WITH_SECRET=value (env dumps), --password value is below.
            new Rule(
                    Pattern.compile("(?i)([\\w.-]*(?:" + KEY_WORDS
                            + ")[\\w.-]*[\"']?\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&\"'}]+)"),
                    "$1" + MASK),
            // --password value / --token value
            new Rule(Pattern.compile("(?i)(--?[\\w-]*(?:" + KEY_WORDS + ")[\\w-]*\\s+)(?!-)(\\S+)"), "$1" + MASK),
            // scheme://user:password@host
            new Rule(Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:)[^@\\s/]+@"), "$1" + MASK + "@"),
            // AWS access key ids
            new Rule(Pattern.compile("\\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{4})[A-Z0-9]{12}\\b"),
                    "$1" + MASK),
            // JWTs
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"), MASK),
            // GitHub / GitLab / Slack tokens
            new Rule(Pattern.compile(
                    "\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,})"),
                    MASK));

    private LogRedactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = text;
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(out);
            out = m.replaceAll(r.replacement);
        }
        return out;
    }

    /** Redacts, then keeps the last {@code maxChars} characters (redacting first, so a cut cannot expose a value). */
    public static String redactTail(String text, int maxChars) {
        String r = redact(text);
        if (r.length() <= maxChars) {
            return r;
        }
        String tail = r.substring(r.length() - maxChars);
        int nl = tail.indexOf('\n');
        if (nl >= 0 && nl < 200) {
            tail = tail.substring(nl + 1);
        }
        return "[...]\n" + tail;
    }
}
