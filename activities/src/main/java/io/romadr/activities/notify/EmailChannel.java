package io.romadr.activities.notify;

import io.romadr.activities.credentials.Secret;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.notify.NotificationSettings.EmailSettings;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.Recipient;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * E-mail through the worker's SMTP server with Jakarta Mail (Angus): STARTTLS ({@code required} by default, so a
 * server or a man in the middle that does not offer it is refused; {@code optional}; {@code off}), AUTH when a
 * username is configured, the server's certificate checked against the JDK's CAs or the configured PEM bundle, and
 * the settings' timeout on connect, read and write.
 *
 * <p>E-mail does not deduplicate: a retry after a worker crash may send a second copy. Each message carries a
 * {@code Message-ID} derived from the notice key, the resolution flag and the recipient, and the notice key in
 * {@code X-Roma-Event-Key}, so a duplicate is recognisable (and mail systems that deduplicate by Message-ID drop it).
 */
public final class EmailChannel implements Channel {
    private final NotificationSettings settings;
    private final Map<String, String> environment;

    public EmailChannel(NotificationSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public String send(Delivery delivery, String link) throws MessagingException {
        EmailSettings smtp = settings.email();
        if (smtp == null || smtp.host() == null || smtp.host().isBlank()) {
            throw new UnknownTargetException("this worker has no SMTP server configured (email.host)");
        }
        if (smtp.from() == null || smtp.from().isBlank()) {
            throw new UnknownTargetException("this worker has no sender address configured (email.from)");
        }
        InternetAddress to = address("recipient", delivery.to().target());
        InternetAddress from = address("email.from", smtp.from());
        String password = smtp.password() == null
                ? null
                : Secret.resolve("SMTP password", smtp.password().file(), smtp.password().env(), environment)
                        .map(Secret::text).orElse(null);
        boolean auth = smtp.username() != null && !smtp.username().isBlank();
        String server = smtp.host() + ":" + smtp.port();

        Session session = Session.getInstance(properties(smtp, auth, settings.timeout()));
        MimeMessage message = message(session, delivery, link, from, to);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(smtp.host(), smtp.port(), auth ? smtp.username() : null, auth ? password : null);
            transport.sendMessage(message, new InternetAddress[]{to});
        } catch (MessagingException e) {
            throw new MessagingException("SMTP " + server + ": " + describe(e, password));
        }
        return "mail to " + to.getAddress() + " accepted by " + smtp.host();
    }

    private static Properties properties(EmailSettings smtp, boolean auth, Duration timeout) {
        Properties p = new Properties();
        String millis = Long.toString(timeout.toMillis());
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        p.put("mail.smtp.auth", Boolean.toString(auth));
        p.put("mail.smtp.from", smtp.from());
        switch (smtp.startTls().toLowerCase(Locale.ROOT)) {
            case "required" -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case "optional" -> p.put("mail.smtp.starttls.enable", "true");
            case "off" -> p.put("mail.smtp.starttls.enable", "false");
            default -> throw new UnknownTargetException("email.startTls is '" + smtp.startTls()
                    + "'; expected required, optional or off");
        }
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        if (smtp.trustStore() != null && !smtp.trustStore().isBlank()) {
            // Used for the STARTTLS upgrade too: the relay's certificate must chain to this bundle.
            p.put("mail.smtp.ssl.socketFactory", socketFactory(Path.of(smtp.trustStore().strip())));
        }
        return p;
    }

    /** An SSL socket factory that trusts exactly the certificates of a PEM bundle (a private relay's CA). */
    static SSLSocketFactory socketFactory(Path pemBundle) {
        try (InputStream in = Files.newInputStream(pemBundle)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new UnknownTargetException("email.trustStore " + pemBundle + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("email.trustStore " + pemBundle + " cannot be read as a PEM bundle ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    static MimeMessage message(Session session, Delivery delivery, String link, InternetAddress from,
            InternetAddress to) throws MessagingException {
        Notice notice = delivery.notice();
        String messageId = "<" + Sha256.hex(notice.key() + "\n" + notice.resolve() + "\n" + to.getAddress())
                .substring(0, 32) + "@roma-dr>";
        MimeMessage message = new FixedIdMessage(session, messageId);
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, to);
        message.setSubject(subject(notice), "UTF-8");
        message.setSentDate(new Date());
        message.setHeader("X-Roma-Event-Key", notice.key());
        message.setText(body(notice, delivery.to(), link), "UTF-8");
        message.saveChanges();
        return message;
    }

    /** "[roma-dr] CRITICAL roma: service-failure recovery started", "[roma-dr] RESOLVED ..." for a resolution. */
    static String subject(Notice notice) {
        String level = notice.resolve() ? "RESOLVED" : notice.event().severity().name();
        return "[roma-dr] " + level + " " + oneLine(notice.title());
    }

    static String body(Notice notice, Recipient to, String link) {
        StringBuilder b = new StringBuilder();
        b.append(notice.resolve() ? "RESOLVED: " : "").append(oneLine(notice.title())).append("\n\n");
        line(b, "Plan", notice.plan());
        line(b, "Scenario", notice.scenario());
        line(b, "Step", notice.step());
        if (notice.rtoMillis() > 0) {
            line(b, "RTO used", notice.rtoUsedPercent() + "% (" + minutes(notice.elapsedMillis()) + " of "
                    + minutes(notice.rtoMillis()) + ")");
        }
        line(b, "Event", notice.event().id() + " (" + notice.event().severity().id() + ")"
                + (notice.resolve() ? ", resolved" : ""));
        line(b, "Workflow", notice.workflowId());
        line(b, "To", to.contact() + (to.role().isEmpty() ? "" : " (" + to.role() + ")"));
        if (!notice.detail().isBlank()) {
            b.append('\n').append(notice.detail().strip()).append('\n');
        }
        if (!notice.nextAction().isBlank()) {
            b.append("\nNext action: ").append(notice.nextAction().strip()).append('\n');
        }
        if (!link.isEmpty()) {
            b.append("\nWeb UI: ").append(link).append('\n');
        }
        b.append("\nEvent key: ").append(notice.key()).append('\n');
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        if (!value.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%-10s %s", label + ":", value)).append('\n');
        }
    }

    private static String minutes(long millis) {
        long s = millis / 1000;
        return s >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ").strip();
    }

    private static InternetAddress address(String what, String text) {
        try {
            return new InternetAddress(text, true);
        } catch (AddressException e) {
            throw new UnknownTargetException(what + " '" + text + "' is not an e-mail address");
        }
    }

    /**
     * The failure without the library's nested chain (which repeats itself), and never the password: the server's
     * answer is quoted, and a server may echo what it was sent.
     */
    private static String describe(MessagingException e, String password) {
        StringBuilder text = new StringBuilder();
        Throwable t = e;
        while (t != null && text.length() < 400) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            int nested = m.indexOf(";\n  nested exception is:");
            m = (nested >= 0 ? m.substring(0, nested) : m).strip();
            if (!m.isEmpty() && text.indexOf(m) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(t == e ? "" : t.getClass().getSimpleName() + " ")
                        .append(m);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        String result = text.toString().replaceAll("\\s+", " ");
        return password == null || password.isEmpty() ? result : result.replace(password, "****");
    }

    /** A message whose Message-ID is ours: Jakarta Mail would otherwise make a random one on saveChanges. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
