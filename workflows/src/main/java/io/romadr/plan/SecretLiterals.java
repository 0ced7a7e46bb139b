package io.romadr.plan;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a plan must not hold, because the whole plan is recorded in workflow history and shown by the Web UI: a
 * literal under a secret-looking name in an {@code env} or {@code headers} map, a URL with a password in it, and any
 * value shaped like a key or token. Secrets are named instead ({@code {fromEnv: VAR}}, {@code {fromFile: /path}},
 * {@code passwordEnv}, {@code tokenEnv}) and read on the worker.
 */
final class SecretLiterals {
    /** Maps whose keys are names the plan's author chooses (variables, headers), so the name says what it holds. */
    static final List<String> NAMED_MAPS = List.of("env", "headers");
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|KEY|CREDENTIAL|AUTHORIZATION|COOKIE|PRIVATE).*");
    private static final Pattern URL_PASSWORD = Pattern
            .compile("(?s).*\\b[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s]*:[^/?#@\\s]*@.*");
    private static final Pattern KNOWN_TOKEN = Pattern.compile("(?s).*(-----BEGIN [A-Z ]*PRIVATE KEY"
            + "|\\bAKIA[0-9A-Z]{16}\\b|\\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\\bgithub_pat_[A-Za-z0-9_]{30,}"
            + "|\\bglpat-[A-Za-z0-9_-]{20,}|\\bxox[abprs]-[A-Za-z0-9-]{10,}|\\bsk-[A-Za-z0-9_-]{20,}"
            + "|\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.|\\b(hvs|s)\\.[A-Za-z0-9]{24,}).*");
    private static final Pattern TOKEN_WORD = Pattern.compile("[A-Za-z0-9+=_.~-]{24,}");
    private static final String REMEDY = "name it instead: {fromEnv: VARIABLE} or {fromFile: /run/secrets/name} "
            + "(read on the worker, never recorded in workflow history)";

    private SecretLiterals() {
    }

    /**
     * Why {@code value} may not be written in a plan, or null when it may.
     *
     * @param key       the key the value is written under (null in a list)
     * @param mapKey    the key of the mapping holding it, e.g. "env"
     */
    static String problem(String key, String mapKey, String value) {
        boolean named = key != null && mapKey != null && NAMED_MAPS.contains(mapKey)
                && SECRET_NAME.matcher(key).matches();
        // {value: x} is the long form of a literal (the form history holds): the name is then the mapping's key
        boolean longForm = "value".equals(key) && mapKey != null && SECRET_NAME.matcher(mapKey).matches();
        if ((named || longForm) && !value.isEmpty()) {
            return "a literal value under a secret-looking name; " + REMEDY;
        }
        if (URL_PASSWORD.matcher(value).matches()) {
            return "a URL with a password in it; name an environment variable (passwordEnv, usernameEnv) instead";
        }
        if (KNOWN_TOKEN.matcher(value).matches()) {
            return "looks like a key or access token; " + REMEDY;
        }
        for (String word : value.split("[\\s\"',;:@/?&#]+")) {
            if (TOKEN_WORD.matcher(word).matches() && looksRandom(word)) {
                return "looks like a key or access token (a long random string); " + REMEDY;
            }
        }
        return null;
    }

    /**
     * Upper case, lower case and digits mixed with high entropy: a generated token, not a name, path or image.
     * Hex (digests, commit ids) and names such as roma-builder-2024 have no upper case and pass.
     */
    static boolean looksRandom(String word) {
        if (!word.chars().anyMatch(Character::isUpperCase) || !word.chars().anyMatch(Character::isLowerCase)
                || !word.chars().anyMatch(Character::isDigit)) {
            return false;
        }
        int[] counts = new int[128];
        word.chars().forEach(c -> counts[c & 127]++);
        double bits = 0;
        for (int c : counts) {
            if (c > 0) {
                double f = (double) c / word.length();
                bits -= f * Math.log(f) / Math.log(2);
            }
        }
        return bits >= 3.5;
    }
}
