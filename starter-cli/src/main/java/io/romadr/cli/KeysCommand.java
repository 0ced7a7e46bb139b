package io.romadr.cli;

import io.romadr.temporal.TemporalConfigException;
import io.romadr.temporal.codec.PayloadKeys;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code roma-dr keys generate|check}: the AES-256 keys that encrypt roma-dr's Temporal payloads. */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = RomaDrCommand.Version.class,
        description = "Make and check the payload encryption keys (docs/security.md, \"Payload encryption\").",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Check.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing the command: generate or check");
    }

    @Command(name = "generate",
            description = {"Print one new key line for a payload keys file: <key-id> <base64 of 32 random bytes>.",
                    "Put it on top of the file to make it the encrypting key; keep the older lines below it until "
                            + "no history needs them. The line is a secret: redirect it into the file, do not "
                            + "paste it into a ticket."})
    static final class Generate extends BaseCommand {
        @Option(names = "--id", paramLabel = "ID", description = "The key id (letters, digits, '.', '_', '-'; "
                + "default: roma-dr-<UTC date>, e.g. roma-dr-2026-12-07).")
        String id;

        @Override
        protected int run() {
            String keyId = id != null ? id : "roma-dr-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC);
            try {
                out().println(PayloadKeys.generateLine(keyId));
            } catch (TemporalConfigException e) {
                throw new CliException(ExitCodes.USAGE, "--id: " + e.getMessage(), null);
            }
            out().flush();
            return ExitCodes.RECOVERED;
        }
    }

    @Command(name = "check",
            description = {"Read the payload keys this process would use (env ROMA_DR_PAYLOAD_KEYS_FILE, else "
                    + "ROMA_DR_PAYLOAD_KEYS) and print their source, the encrypting key id and every key id; "
                    + "never a key.",
                    "Exits 0 when the keys read, 2 when they do not (the line and the problem are named), "
                            + "4 when no keys are configured (payloads are then written in clear)."})
    static final class Check extends BaseCommand {
        /** Where the keys are read (tests give their own). */
        Map<String, String> environment = System.getenv();

        @Override
        protected int run() {
            PayloadKeys keys;
            try {
                keys = PayloadKeys.fromEnvironment(environment);
            } catch (TemporalConfigException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), null);
            }
            if (keys == null) {
                throw new CliException(ExitCodes.NOT_FOUND, "no payload keys: neither " + PayloadKeys.FILE_ENV
                        + " nor " + PayloadKeys.ENV + " is set, so payloads are written in clear", null);
            }
            out().println("source:     " + keys.source());
            out().println("encrypting: " + keys.currentId());
            out().println("keys:       " + String.join(", ", keys.ids()));
            out().flush();
            return ExitCodes.RECOVERED;
        }
    }
}
