package io.romadr.activities.browser;

import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Debian's {@code chromium}, headless, for tests that look at a page as a person's browser renders it: a screenshot
 * ({@code --screenshot}) or the DOM after the page loaded ({@code --dump-dom}). Each call is one browser run with a
 * profile of its own (parallel runs never share one), its log next to it. A missing chromium is a failure.
 */
public final class HeadlessChromium extends LocalServerProcess {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String INSTALL = "install Debian's chromium: apt-get install chromium (scripts/test does,"
            + " as root)";

    private final List<String> command;

    private HeadlessChromium(Path log, List<String> command) {
        super("chromium", log, DEADLINE);
        this.command = command;
    }

    /** The browser: $ROMA_DR_CHROMIUM, else chromium on PATH; otherwise a failure saying how to install it. */
    public static String binary() {
        return executable("ROMA_DR_CHROMIUM", INSTALL, "chromium", "chromium-browser");
    }

    /** A PNG of {@code page} in a window of {@code width} x {@code height}; {@code work} holds profile and log. */
    public static Path screenshot(Path page, Path png, int width, int height, Path work) {
        run(work, null, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium exited without writing " + png);
        }
        return png;
    }

    /** The DOM of {@code page} as chromium built it (after parsing, the SVG included), serialized as HTML. */
    public static String dumpDom(Path page, Path work) {
        Path dom = work.resolve("dom-" + System.nanoTime() + ".html");
        run(work, dom, "--dump-dom", page.toUri().toString());
        try {
            return Files.readString(dom, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path work, Path stdout, String... args) {
        String run = "chromium-" + System.nanoTime();
        List<String> command = new ArrayList<>(List.of(binary(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                "--user-data-dir=" + work.resolve(run + "-profile").toAbsolutePath()));
        command.addAll(List.of(args));
        try (HeadlessChromium chromium = new HeadlessChromium(work.resolve(run + ".log"), command)) {
            int exit = chromium.runToExit(DEADLINE, stdout);
            if (exit != 0) {
                throw new IllegalStateException("chromium " + String.join(" ", args) + " exited with " + exit
                        + "; its log (" + chromium.logFile() + "):\n" + chromium.logTail());
            }
        }
    }

    @Override
    protected List<String> command() {
        return command;
    }

    /** Not a server: {@link #runToExit} waits for the browser to finish instead. */
    @Override
    protected Optional<String> notReady() {
        return Optional.empty();
    }

    @Override
    protected String cannotStart(IOException e) {
        return "cannot start chromium (" + e.getMessage() + "); " + INSTALL;
    }
}
