package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A container's log lines with the engine's timestamps, for a time range: the one way activities read a whole log
 * (a tail for a report is {@link ContainerLogs}). Docker's {@code since} counts whole seconds, so the read starts at
 * the floor second and drops the lines stamped at or before the range's start by their nanosecond timestamp.
 */
public final class ContainerLogLines {
    /**
     * Log drivers whose whole log the engine reads back. Any other driver sends the lines elsewhere (syslog, fluentd,
     * a cloud service: that system keeps them) and the engine holds only a bounded cache of them, which cannot
     * promise "no gap": such a container is refused, not shipped in part.
     */
    public static final Set<String> READABLE_DRIVERS = Set.of("json-file", "local", "journald");
    /** Fixed width, so lines of several containers and objects sort by their text. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** One line: when the engine received it, {@code stdout}/{@code stderr} ({@code raw} for a TTY), its text. */
    public record Line(Instant at, String stream, String text) {
    }

    /** Where lines go, in order; may throw (a full disk): the read stops and rethrows. */
    public interface Sink {
        void accept(Line line) throws IOException;
    }

    private ContainerLogLines() {
    }

    /**
     * Sends every line of container {@code id} stamped {@code after < t <= upTo} to {@code sink}, in the engine's
     * order; {@code beat} runs about every second while the engine sends (heartbeat it: it may throw to stop).
     * Returns the lines sent.
     */
    public static long read(DockerClient docker, String id, Instant after, Instant upTo, Sink sink, Runnable beat)
            throws IOException, InterruptedException {
        Reader reader = new Reader(after, upTo, sink);
        ResultCallback.Adapter<Frame> callback = docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .withTimestamps(true).withSince((int) after.getEpochSecond()).exec(reader);
        try {
            while (!callback.awaitCompletion(1, TimeUnit.SECONDS)) {
                reader.check();
                beat.run();
            }
        } finally {
            callback.close();
        }
        reader.finish();
        return reader.sent;
    }

    /** Splits the frames into lines per stream (a frame may hold part of a line, or several). */
    static final class Reader extends ResultCallback.Adapter<Frame> {
        private final Instant after;
        private final Instant upTo;
        private final Sink sink;
        private final Map<StreamType, ByteArrayOutputStream> partial = new EnumMap<>(StreamType.class);
        private volatile IOException failure;
        private Instant last;
        private long sent;

        Reader(Instant after, Instant upTo, Sink sink) {
            this.after = after;
            this.upTo = upTo;
            this.sink = sink;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            if (failure != null) {
                return;
            }
            ByteArrayOutputStream buffer = partial.computeIfAbsent(frame.getStreamType(),
                    s -> new ByteArrayOutputStream());
            byte[] payload = frame.getPayload();
            int start = 0;
            try {
                for (int i = 0; i < payload.length; i++) {
                    if (payload[i] == '\n') {
                        buffer.write(payload, start, i - start);
                        line(frame.getStreamType(), buffer);
                        start = i + 1;
                    }
                }
                buffer.write(payload, start, payload.length - start);
            } catch (IOException e) {
                failure = e;
            }
        }

        /** The last line when the log does not end with a newline; the sink's failure if any. */
        synchronized void finish() throws IOException {
            for (Map.Entry<StreamType, ByteArrayOutputStream> e : partial.entrySet()) {
                if (failure == null && e.getValue().size() > 0) {
                    try {
                        line(e.getKey(), e.getValue());
                    } catch (IOException ex) {
                        failure = ex;
                    }
                }
            }
            check();
        }

        void check() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }

        private void line(StreamType type, ByteArrayOutputStream buffer) throws IOException {
            String raw = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            int space = raw.indexOf(' ');
            Instant at;
            String text;
            try {
                at = Instant.parse(space < 0 ? raw : raw.substring(0, space));
                text = space < 0 ? "" : raw.substring(space + 1);
            } catch (DateTimeParseException e) {
                // Not stamped (the rest of a line the engine split): it belongs with the line before it.
                if (last == null) {
                    return;
                }
                at = last;
                text = raw;
            }
            last = at;
            if (at.isAfter(after) && !at.isAfter(upTo)) {
                sink.accept(new Line(at, stream(type), text));
                sent++;
            }
        }

        private static String stream(StreamType type) {
            return switch (type) {
                case STDOUT -> "stdout";
                case STDERR -> "stderr";
                default -> "raw";
            };
        }
    }
}
