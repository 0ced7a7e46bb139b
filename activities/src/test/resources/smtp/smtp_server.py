"""A test SMTP server (aiosmtpd) for roma-dr's e-mail tests: serves 127.0.0.1:<port>, optionally with STARTTLS
required and AUTH (LOGIN/PLAIN) required, and writes each message it accepts to <dir>/<n>.eml (written to a
temporary name first, then renamed, so the test never reads half a message). Run by Debian's /usr/bin/python3.

Usage: smtp_server.py --port N --dir D [--cert C --key K] [--user U --password-file F]
"""
import argparse
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class StandardLoginSMTP(SMTP):
    # The AUTH LOGIN prompts Postfix (Cyrus SASL) and most servers send; aiosmtpd's own ("User Name\\0") are
    # not understood by Go's LOGIN client, which Alertmanager uses.
    AuthLoginUsernameChallenge = "Username:"
    AuthLoginPasswordChallenge = "Password:"


class StandardLoginController(Controller):
    def factory(self):
        return StandardLoginSMTP(self.handler, **self.SMTP_kwargs)


class SaveToDirectory:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        header = "X-Test-Envelope-From: %s\r\nX-Test-Envelope-To: %s\r\nX-Test-Tls: %s\r\nX-Test-Auth: %s\r\n" % (
            envelope.mail_from, ",".join(envelope.rcpt_tos), session.ssl is not None,
            bool(session.authenticated))
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        tmp = os.path.join(self.directory, ".%06d.tmp" % n)
        with open(tmp, "wb") as f:
            f.write(header.encode("ascii"))
            f.write(content)
        os.rename(tmp, os.path.join(self.directory, "%06d.eml" % n))
        print("accepted message %d from %s to %s" % (n, envelope.mail_from, envelope.rcpt_tos), flush=True)
        return "250 2.0.0 Ok: queued as %06d" % n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user")
    p.add_argument("--password-file")
    a = p.parse_args()

    kwargs = {}
    if a.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.cert, a.key)
        kwargs.update(tls_context=tls, require_starttls=True)
    if a.user:
        with open(a.password_file, encoding="utf-8") as f:
            password = f.read().strip()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode("utf-8") == a.user
                  and auth_data.password.decode("utf-8") == password)
            print("AUTH %s as %r: %s" % (mechanism, auth_data.login if isinstance(auth_data, LoginPassword)
                                          else None, "ok" if ok else "refused"), flush=True)
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(a.cert))

    controller = StandardLoginController(SaveToDirectory(a.dir), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("listening on 127.0.0.1:%d tls=%s auth=%s" % (a.port, bool(a.cert), bool(a.user)), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(3600):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
