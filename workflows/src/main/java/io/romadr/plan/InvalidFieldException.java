package io.romadr.plan;

import java.util.List;

/**
 * Thrown by a plan record's constructor when one of its own fields is wrong; the loader turns it into a
 * {@link PlanException} with the file, line and full field path.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidFieldException(field, message);
        }
    }

    /** A command as a non-empty argument list ({@code example} shows one in the message); an immutable copy. */
    static List<String> requireCommand(List<String> command, String example) {
        require(command != null && !command.isEmpty(), "command", "must be a non-empty list, e.g. " + example);
        return List.copyOf(command);
    }

    static void requireText(String value, String field) {
        require(value != null && !value.isBlank(), field, "is required and must not be empty");
    }
}
