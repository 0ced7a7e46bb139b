package io.romadr.cli;

import io.romadr.scenario.drill.DrillWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "drills", mixinStandardHelpOptions = true, versionProvider = RomaDrCommand.Version.class,
        description = "The drill program: the calendar's last and next drills, a drill's report, and a running "
                + "drill's notes, action items and sign-offs (sent to its DrillWorkflow as updates).",
        subcommands = {DrillsListCommand.class, DrillsReportCommand.class, DrillsCommand.Note.class,
                DrillsCommand.Action.class, DrillsCommand.SignOff.class})
final class DrillsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing the command: list, report, note, action or sign-off");
    }

    @Command(name = "note",
            description = {"Note a deviation or a lesson in a running drill's report (Issues Encountered).",
                    "Exits 0 when the drill took it, 1 when it refused it, 4 when there is no such running drill."})
    static final class Note extends TemporalCommand {
        @Parameters(index = "0", paramLabel = "DRILL-ID", description = "The drill's workflow id.")
        String drillId;

        @Option(names = "--text", required = true, paramLabel = "TEXT",
                description = "What happened.")
        String text;

        @Option(names = "--as", paramLabel = "NAME",
                description = "Who notes it (default: the login name).")
        String author;

        @Override
        protected int run(TemporalOptions.Connection temporal) {
            return sendUpdate(temporal, drillId, "note",
                    new DrillWorkflow.DrillNote(whoOrLogin(author), text));
        }
    }

    @Command(name = "action",
            description = {"Add an action item to a drill's report (Action Items).",
                    "Exits 0 when the drill took it, 1 when it refused it, 4 when there is no such running drill."})
    static final class Action extends TemporalCommand {
        @Parameters(index = "0", paramLabel = "DRILL-ID", description = "The drill's workflow id.")
        String drillId;

        @Option(names = "--text", required = true, paramLabel = "TEXT",
                description = "The fix or improvement.")
        String text;

        @Option(names = "--owner", paramLabel = "NAME", defaultValue = "",
                description = "Who owns it (default: nobody yet).")
        String owner;

        @Option(names = "--as", paramLabel = "NAME",
                description = "Who adds it (default: the login name).")
        String author;

        @Override
        protected int run(TemporalOptions.Connection temporal) {
            return sendUpdate(temporal, drillId, "actionItem",
                    new DrillWorkflow.DrillActionItem(whoOrLogin(author), text, owner));
        }
    }

    @Command(name = "sign-off",
            description = {"Sign a drill's report off as its operator, observer or manager (Sign-Off).",
                    "Exits 0 when the drill took it, 1 when it refused it (e.g. that role already signed), 4 when "
                            + "there is no such running drill."})
    static final class SignOff extends TemporalCommand {
        /** The seed's sign-off roles. */
        enum Role {
            operator, observer, manager
        }

        @Parameters(index = "0", paramLabel = "DRILL-ID", description = "The drill's workflow id.")
        String drillId;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "operator, observer or manager.")
        Role role;

        @Option(names = "--as", paramLabel = "NAME",
                description = "Who signs (default: the login name).")
        String name;

        @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "",
                description = "A comment, shown in the report.")
        String comment;

        @Override
        protected int run(TemporalOptions.Connection temporal) {
            return sendUpdate(temporal, drillId, "signOff",
                    new DrillWorkflow.DrillSignOff(role.name(), whoOrLogin(name), comment));
        }
    }
}
