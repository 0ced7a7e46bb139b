package io.romadr.activities.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * Git over SSH for tests: an Apache MINA SSHD server on loopback that accepts one public key and runs the real
 * {@code git-upload-pack} / {@code git-receive-pack} on the bare repositories of one directory.
 */
final class GitSshServer implements AutoCloseable {
    private final SshServer server;
    private final Path base;
    private final String hostKeyLine;

    /** {@code authorizedKeyLine}: the client's public key as in an authorized_keys file. */
    GitSshServer(Path base, Path hostKeyFile, String authorizedKeyLine) throws IOException {
        this.base = base;
        String[] authorized = authorizedKeyLine.trim().split(" ");
        String allowed = authorized[0] + " " + authorized[1];
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator((user, key, session) -> allowed.equals(PublicKeyEntry.toString(key)));
        server.setCommandFactory((CommandFactory) (channel, command) -> new GitCommand(command));
        server.start();
        try {
            KeyPair host = hostKeys.loadKeys(null).iterator().next();
            hostKeyLine = PublicKeyEntry.toString(host.getPublic());
        } catch (Exception e) {
            throw new IOException("cannot read the test SSH server's host key", e);
        }
    }

    String url(String repo) {
        return "ssh://git@127.0.0.1:" + server.getPort() + "/" + repo + ".git";
    }

    /** The server's entry for a known_hosts file. */
    String knownHostsLine() {
        return "[127.0.0.1]:" + server.getPort() + " " + hostKeyLine + "\n";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** "git-upload-pack '/repo.git'" run as a process with the SSH channel's streams. */
    private final class GitCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Process process;

        GitCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            List<String> parts = CommandFactory.split(command);
            String program = parts.get(0);
            if (!program.equals("git-upload-pack") && !program.equals("git-receive-pack") || parts.size() != 2) {
                err.write(("unsupported command: " + command + "\n").getBytes());
                err.flush();
                exit.onExit(1);
                return;
            }
            Path repo = base.resolve(parts.get(1).replaceAll("^/+", "").replace("'", ""));
            if (!Files.isDirectory(repo)) {
                err.write(("no repository " + parts.get(1) + "\n").getBytes());
                err.flush();
                exit.onExit(1);
                return;
            }
            process = new ProcessBuilder("git", program.substring(4), repo.toString()).start();
            Thread input = pump(in, process.getOutputStream(), true);
            Thread error = pump(process.getErrorStream(), err, false);
            Thread output = new Thread(() -> {
                try {
                    copy(process.getInputStream(), out);
                    error.join();
                    exit.onExit(process.waitFor());
                } catch (IOException | InterruptedException e) {
                    exit.onExit(1, String.valueOf(e.getMessage()));
                }
                input.interrupt();
            });
            output.start();
        }

        private static Thread pump(InputStream from, OutputStream to, boolean closeTarget) {
            Thread t = new Thread(() -> {
                try {
                    copy(from, to);
                } catch (IOException ignored) {
                    // The other side is gone; the process's exit code tells the client what happened.
                } finally {
                    if (closeTarget) {
                        try {
                            to.close();
                        } catch (IOException ignored) {
                            // already closed
                        }
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Flushes every chunk: the git protocol is a conversation, buffered bytes would deadlock it. */
        private static void copy(InputStream from, OutputStream to) throws IOException {
            byte[] buf = new byte[8192];
            int n;
            while ((n = from.read(buf)) != -1) {
                to.write(buf, 0, n);
                to.flush();
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (process != null) {
                process.destroy();
            }
        }
    }
}
