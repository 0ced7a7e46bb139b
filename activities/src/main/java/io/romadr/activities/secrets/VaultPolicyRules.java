package io.romadr.activities.secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code path "..." { capabilities = [...] }} rules of one Vault ACL policy (HCL), and the capabilities they give
 * on an API path: those of the most specific matching rule (Vault's priority: exact before glob, the later first
 * wildcard, no trailing {@code *}, fewer {@code +} segments, the longer pattern), none when it holds {@code deny}.
 * A simple parser: policies written in JSON, and parameter constraints, are not read.
 */
public record VaultPolicyRules(String name, List<Rule> rules) {
    private static final Pattern PATH = Pattern.compile("path\\s+\"([^\"]*)\"\\s*\\{");
    private static final Pattern CAPABILITIES = Pattern.compile("capabilities\\s*=\\s*\\[([^\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    public VaultPolicyRules {
        rules = List.copyOf(rules);
    }

    /** One {@code path} block: its pattern and capabilities. */
    public record Rule(String path, Set<String> capabilities) {
        public Rule {
            capabilities = Set.copyOf(capabilities);
        }

        boolean matches(String apiPath) {
            StringBuilder regex = new StringBuilder();
            String p = path;
            boolean glob = p.endsWith("*");
            if (glob) {
                p = p.substring(0, p.length() - 1);
            }
            for (String part : p.split("\\+", -1)) {
                if (regex.length() > 0) {
                    regex.append("[^/]+");
                }
                regex.append(Pattern.quote(part));
            }
            if (glob) {
                regex.append(".*");
            }
            return Pattern.matches(regex.toString(), apiPath);
        }

        /** Where the first wildcard is ({@code path.length()} for an exact path). */
        int firstWildcard() {
            int plus = path.indexOf('+');
            int star = path.indexOf('*');
            int first = path.length();
            if (plus >= 0) {
                first = Math.min(first, plus);
            }
            if (star >= 0) {
                first = Math.min(first, star);
            }
            return first;
        }

        long plusSegments() {
            return path.chars().filter(c -> c == '+').count();
        }
    }

    /** Vault's order: the first rule in it is the most specific. */
    private static final Comparator<Rule> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt(Rule::firstWildcard).reversed()
            .thenComparing(r -> r.path().endsWith("*"))
            .thenComparingLong(Rule::plusSegments)
            .thenComparing(Comparator.comparingInt((Rule r) -> r.path().length()).reversed())
            .thenComparing(Comparator.comparing(Rule::path).reversed());

    public static VaultPolicyRules parse(String name, String hcl) {
        String text = stripComments(hcl);
        List<Rule> rules = new ArrayList<>();
        Matcher m = PATH.matcher(text);
        while (m.find()) {
            int end = blockEnd(text, m.end());
            Matcher caps = CAPABILITIES.matcher(text.substring(m.end(), end));
            Set<String> capabilities = new LinkedHashSet<>();
            if (caps.find()) {
                Matcher q = QUOTED.matcher(caps.group(1));
                while (q.find()) {
                    capabilities.add(q.group(1));
                }
            }
            rules.add(new Rule(m.group(1), capabilities));
            m.region(end, text.length());
        }
        return new VaultPolicyRules(name, rules);
    }

    /** The capabilities this policy gives on {@code apiPath} (no leading slash, e.g. {@code secret/data/roma/app}). */
    public Set<String> capabilitiesOn(String apiPath) {
        Optional<Rule> rule = rules.stream().filter(r -> r.matches(apiPath)).sorted(MOST_SPECIFIC_FIRST)
                .findFirst();
        if (rule.isEmpty() || rule.get().capabilities().contains("deny")) {
            return Set.of();
        }
        return rule.get().capabilities();
    }

    /** The index after the brace closing the block whose body starts at {@code start}. */
    private static int blockEnd(String text, int start) {
        int depth = 1;
        boolean quoted = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && text.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && c == '{') {
                depth++;
            } else if (!quoted && c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static String stripComments(String hcl) {
        StringBuilder out = new StringBuilder();
        for (String line : hcl.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("#") && !trimmed.startsWith("//")) {
                out.append(line);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
