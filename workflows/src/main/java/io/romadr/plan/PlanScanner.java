package io.romadr.plan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * One pass over a plan's YAML events before it is mapped to records: what mapping cannot see or should never have
 * to handle. Refuses an empty file (only {@code ---} or comments), a plan that is not a mapping, more than one
 * document, a repeated key, anchors and aliases (no plan needs them, and they are how "billion laughs" documents
 * grow), nesting deeper than {@link #MAX_DEPTH}, and secrets written into the plan ({@link SecretLiterals}). Works on
 * the parser's events without building a tree and without recursion, so no input can exhaust memory or the stack.
 */
final class PlanScanner {
    /** A plan is at most 7 levels deep (site.aws.start[0].env.X.fromEnv); 20 leaves room and refuses abuse. */
    static final int MAX_DEPTH = 20;

    private final String file;
    private final LoaderOptions options;

    PlanScanner(String file, LoaderOptions options) {
        this.file = file;
        this.options = options;
    }

    /** One open mapping or list: its path, the keys seen so far, the key whose value comes next, the next index. */
    private static final class Level {
        final String path;
        final boolean mapping;
        final Set<String> keys = new HashSet<>();
        String key;
        int index;

        Level(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        boolean expectsKey() {
            return mapping && key == null;
        }

        /** The path of the value that starts now; a mapping then expects its next key. */
        String child() {
            if (!mapping) {
                return path + "[" + index++ + "]";
            }
            String child = path.isEmpty() ? key : path + "." + key;
            key = null;
            return child;
        }
    }

    void scan(String text) {
        Parser parser = new ParserImpl(new StreamReader(text), options);
        Deque<Level> open = new ArrayDeque<>();
        boolean sawDocument = false;
        boolean sawRoot = false;
        try {
            for (Event e = parser.getEvent(); e != null && !e.is(Event.ID.StreamEnd); e = parser.getEvent()) {
                Level top = open.peek();
                switch (e.getEventId()) {
                    case DocumentStart -> {
                        if (sawDocument) {
                            throw fail(e, "", "a second YAML document (after ---); a plan file holds exactly one plan");
                        }
                        sawDocument = true;
                    }
                    case Alias -> throw fail(e, top == null ? "" : top.expectsKey() ? top.path : top.child(),
                            "YAML anchors and aliases (&name, *name, <<:) are not allowed in a plan; "
                                    + "write the value out");
                    case Scalar -> {
                        ScalarEvent s = (ScalarEvent) e;
                        if (top == null) {
                            boolean empty = isNull(s) || s.getValue().isBlank();
                            throw empty
                                    ? new PlanException(file, 1, "", EMPTY)
                                    : fail(e, "", NOT_A_MAPPING + "a single value");
                        }
                        if (top.expectsKey()) {
                            String path = top.path.isEmpty() ? s.getValue() : top.path + "." + s.getValue();
                            checkAnchor(s, path);
                            if (!top.keys.add(s.getValue())) {
                                throw fail(e, path, "this key appears twice in the same mapping; keep one");
                            }
                            top.key = s.getValue();
                        } else {
                            String key = top.mapping ? top.key : null;
                            String mapKey = enclosingKey(open);
                            String path = top.child();
                            checkAnchor(s, path);
                            if (isNull(s) && (!top.mapping || FREE_FORM_MAPS.contains(mapKey))) {
                                throw fail(e, path, top.mapping
                                        ? "has no value; give a value, or {fromEnv: VAR} / {fromFile: /path} in env"
                                        : "an empty list item; remove it or give it a value");
                            }
                            String problem = SecretLiterals.problem(key, mapKey, s.getValue());
                            if (problem != null) {
                                throw fail(e, path, ContactChannels.isTargetPath(path)
                                        ? "looks like a key, token or URL, not a channel target's name; "
                                                + ContactChannels.NOT_HERE
                                        : problem);
                            }
                        }
                    }
                    case MappingStart, SequenceStart -> {
                        boolean mapping = e.is(Event.ID.MappingStart);
                        if (top == null) {
                            if (sawRoot || !mapping) {
                                throw fail(e, "", NOT_A_MAPPING + "a list");
                            }
                            sawRoot = true;
                        } else if (top.expectsKey()) {
                            throw fail(e, top.path, "a key must be a plain name, not a list or a mapping");
                        }
                        String path = top == null ? "" : top.child();
                        checkAnchor((NodeEvent) e, path);
                        if (open.size() >= MAX_DEPTH) {
                            throw fail(e, path, "nested deeper than " + MAX_DEPTH
                                    + " levels; a plan is at most 7 deep");
                        }
                        open.push(new Level(path, mapping));
                    }
                    case MappingEnd, SequenceEnd -> open.pop();
                    default -> {
                        // StreamStart, DocumentEnd, comments: nothing to check
                    }
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new PlanException(file, mark == null ? 0 : mark.getLine() + 1, "",
                    "not valid YAML: " + (e.getProblem() == null ? e.getMessage() : e.getProblem()));
        } catch (YAMLException e) {
            throw new PlanException(file, 0, "", "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!sawRoot) {
            throw new PlanException(file, 1, "", EMPTY);
        }
    }

    /** Maps whose keys the author chooses: every key needs a value (elsewhere a null means "the default"). */
    private static final java.util.List<String> FREE_FORM_MAPS = java.util.List.of("env", "headers", "labels");

    /** A plain {@code ~}, {@code null} or nothing: YAML's null. */
    private static boolean isNull(ScalarEvent s) {
        String v = s.getValue();
        return s.getImplicit().canOmitTagInPlainScalar() && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && (v.isEmpty() || v.equals("~") || v.equalsIgnoreCase("null"));
    }

    private static final String EMPTY = "the plan is empty (nothing but comments or ---); expected name:, service:, rto:, ...";
    private static final String NOT_A_MAPPING = "expected a mapping of plan fields (name:, service:, rto:, ...), got ";

    /** The key of the mapping that holds the innermost open container, e.g. "env" for {@code env: {K: v}}. */
    private static String enclosingKey(Deque<Level> open) {
        var it = open.iterator();
        it.next();
        if (!it.hasNext()) {
            return null;
        }
        Level grand = it.next();
        String path = open.peek().path;
        // the container was opened as the value of grand's key: the last segment of its path
        return grand.mapping ? path.substring(path.lastIndexOf('.') + 1) : null;
    }

    private void checkAnchor(NodeEvent e, String path) {
        if (e.getAnchor() != null) {
            throw fail(e, path, "YAML anchors and aliases (&name, *name, <<:) are not allowed in a plan; "
                    + "write the value out");
        }
    }

    private PlanException fail(Event e, String path, String problem) {
        return new PlanException(file, e.getStartMark() == null ? 0 : e.getStartMark().getLine() + 1, path, problem);
    }
}
