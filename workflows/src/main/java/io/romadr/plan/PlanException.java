package io.romadr.plan;

/** A plan that cannot be used, with where and why: {@code file:line: field: problem}. */
public final class PlanException extends RuntimeException {
    private final String file;
    private final int line;
    private final String field;
    private final String problem;

    public PlanException(String file, int line, String field, String problem) {
        this(file, line, field, problem, null);
    }

    public PlanException(String file, int line, String field, String problem, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (field == null || field.isEmpty() ? "" : field + ": ")
                + problem, cause);
        this.file = file;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    public String file() {
        return file;
    }
    public int line() {
        return line;
    }
    public String field() {
        return field;
    }
    public String problem() {
        return problem;
    }
}
