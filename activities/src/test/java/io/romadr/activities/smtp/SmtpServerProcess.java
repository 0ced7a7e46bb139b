package io.romadr.activities.smtp;

import io.romadr.activities.LocalServerProcess;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real SMTP server for tests: Debian's aiosmtpd (package {@code python3-aiosmtpd}) run by {@code /usr/bin/python3}
 * (not the {@code python3} first on PATH, which may be a pyenv one without it) with the script
 * {@code smtp/smtp_server.py} from the test resources. It serves 127.0.0.1 on a free port, with STARTTLS required
 * when given a certificate and AUTH (PLAIN/LOGIN, only after STARTTLS) required when given a username, and writes
 * each accepted message to its own {@code .eml} file, which {@link #messages()} parses.
 *
 * <p>The script prepends {@code X-Test-Envelope-From}, {@code X-Test-Envelope-To}, {@code X-Test-Tls} and
 * {@code X-Test-Auth} headers so a test can check how the message arrived.
 */
public final class SmtpServerProcess extends LocalServerProcess {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    static final String PYTHON = "/usr/bin/python3";

    /**
     * @param certificate the server's certificate: STARTTLS offered and required; null: plain SMTP only
     * @param username    AUTH required with this username and {@code password}; null: no AUTH
     */
    public record Options(TestCertificate certificate, String username, String password) {
        public static Options plain() {
            return new Options(null, null, null);
        }

        public static Options tls(TestCertificate certificate) {
            return new Options(certificate, null, null);
        }

        public static Options tlsAndAuth(TestCertificate certificate, String username, String password) {
            return new Options(certificate, username, password);
        }
    }

    private final Options options;
    private final Path dir;
    private final Path mailbox;
    private final int port;

    private SmtpServerProcess(Options options, Path dir, int port) {
        super("aiosmtpd", dir.resolve("smtp.log"), READY_TIMEOUT);
        this.options = options;
        this.dir = dir;
        this.mailbox = dir.resolve("mail");
        this.port = port;
    }

    /** Starts the server and waits until it listens (or fails with its log). */
    public static SmtpServerProcess start(Options options) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("roma-dr-smtp-");
                Files.createDirectories(dir.resolve("mail"));
                try (InputStream script = SmtpServerProcess.class.getResourceAsStream("/smtp/smtp_server.py")) {
                    if (script == null) {
                        throw new IllegalStateException("test resource smtp/smtp_server.py is missing");
                    }
                    Files.copy(script, dir.resolve("smtp_server.py"));
                }
                if (options.username() != null) {
                    Path password = dir.resolve("password");
                    Files.writeString(password, options.password());
                    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the SMTP server's directory", e);
            }
            SmtpServerProcess smtp = new SmtpServerProcess(options, dir, freePort());
            try {
                smtp.launch();
                return smtp;
            } catch (IllegalStateException e) {
                last = e;
                if (!e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("address already in use")) {
                    break;
                }
            }
        }
        throw last;
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>(List.of(PYTHON, dir.resolve("smtp_server.py").toString(),
                "--port", Integer.toString(port), "--dir", mailbox.toString()));
        if (options.certificate() != null) {
            command.addAll(List.of("--cert", options.certificate().cert().toString(),
                    "--key", options.certificate().key().toString()));
        }
        if (options.username() != null) {
            command.addAll(List.of("--user", options.username(), "--password-file",
                    dir.resolve("password").toString()));
        }
        return command;
    }

    @Override
    protected Optional<String> notReady() {
        return logText().contains("listening on 127.0.0.1:" + port)
                ? Optional.empty()
                : Optional.of("no 'listening on' line in its log yet");
    }

    @Override
    protected String cannotStart(IOException e) {
        return "cannot run " + PYTHON + " (" + e.getMessage()
                + "); Debian: apt-get install python3-aiosmtpd (scripts/test installs it)";
    }

    public int port() {
        return port;
    }

    public Options options() {
        return options;
    }

    /** The messages received so far, in arrival order. */
    public List<MimeMessage> messages() {
        Session session = Session.getInstance(new Properties());
        try (Stream<Path> files = Files.list(mailbox)) {
            List<MimeMessage> messages = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    messages.add(new MimeMessage(session, in));
                }
            }
            return messages;
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("cannot read the received mail in " + mailbox + ": " + e, e);
        }
    }

    /**
     * Waits until at least {@code count} received messages match {@code which}, polling until {@code timeout}; fails
     * with what did arrive and the server's log otherwise.
     */
    public List<MimeMessage> await(Predicate<MimeMessage> which, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<MimeMessage> all = messages();
            List<MimeMessage> matching = all.stream().filter(which).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching message(s) within " + timeout + ", got "
                        + matching.size() + " of " + all.size() + " received: " + subjects(all)
                        + "\naiosmtpd log:\n" + logTail());
            }
            waitForExit(100);
        }
    }

    public static String subjects(List<MimeMessage> messages) {
        return messages.stream().map(m -> {
            try {
                return String.valueOf(m.getSubject());
            } catch (MessagingException e) {
                return "(" + e.getMessage() + ")";
            }
        }).toList().toString();
    }

    /** The decoded text of a (single-part or multipart) message, for assertions. */
    public static String text(MimeMessage message) {
        try {
            Object content = message.getContent();
            if (content instanceof String s) {
                return s;
            }
            if (content instanceof jakarta.mail.Multipart multipart) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    Object part = multipart.getBodyPart(i).getContent();
                    if (part instanceof String s) {
                        text.append(s).append('\n');
                    }
                }
                return text.toString();
            }
            return String.valueOf(content);
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("cannot read a received message: " + e, e);
        }
    }

    @Override
    public void close() {
        super.close();
        deleteTree(dir);
    }
}
