"""A real IMAP server for the mail tests: Debian's Dovecot (`dovecot-imapd`, in the Makefile's
apt line) started from a configuration in a temporary folder, listening on loopback only, with
one password for every user (a static passdb) and their mail in Maildir folders under that
temporary folder.

Dovecot runs without installing anything system-wide: its base_dir, state, log and mail are all
in the folder, and it is stopped by its own `dovecot stop` (its master's pid file there). Run as
root (CI), its login and mail processes use the unprivileged `nobody` (Dovecot refuses mail
access as uid 0); run as anyone else, everything runs as that user.
"""

from __future__ import annotations

import email.message
import email.policy
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""


def available() -> bool:
    return Path(DOVECOT).is_file()


def quoted(folder: str) -> str:
    """A folder name (already in IMAP's modified UTF-7) as an IMAP string."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """`with Dovecot(password) as server:` a running server in a temporary folder of its own
    (readable by its unprivileged processes, which pytest's 0700 tmp_path is not; removed at
    the end); `server.add_user(name, password)`, `server.deliver(user, password, message)`,
    `server.mailbox(user, password)` for checks."""

    def __init__(self, password: str):
        self.password = password
        self.root = Path(tempfile.mkdtemp(prefix="cchc-dovecot-"))
        self.port = _free_port()
        if os.geteuid() == 0:
            self.user, self.group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
        else:
            self.user = pwd.getpwuid(os.geteuid()).pw_name
            self.group = grp.getgrgid(os.getegid()).gr_name
        self.config = self.root / "dovecot.conf"

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self) -> None:
        (self.root / "run").mkdir(parents=True, exist_ok=True)
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(home, self.user, self.group)
            self.root.chmod(0o755)
        self.config.write_text(
            CONFIG.format(
                root=self.root,
                user=self.user,
                group=self.group,
                port=self.port,
                password=self.password,
            )
        )
        # no pipes: the daemon keeps its inherited stdout open, a pipe would never end
        with (self.root / "start.log").open("w") as out:
            subprocess.run(
                [DOVECOT, "-c", str(self.config)],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def stop(self) -> None:
        self._stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _stop(self) -> None:
        subprocess.run(
            [DOVECOT, "-c", str(self.config), "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def add_user(self, name: str, password: str) -> None:
        """A user of the server: every name logs in with the server's one password (a static
        passdb; a passwd-file is re-read only when its mtime changes, which users added within
        one second do not show), each into a Maildir of its own."""
        if password != self.password:
            raise ValueError("every user of the test server has the server's password")

    def connect(self, user: str, password: str) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(user, password)
        return conn

    def deliver(
        self, user: str, password: str, message: email.message.EmailMessage | bytes, folder="INBOX"
    ) -> None:
        """Put a mail in a folder with IMAP APPEND (unread, as a new mail is)."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        conn = self.connect(user, password)
        try:
            if folder != "INBOX":
                conn.create(quoted(folder))
            typ, data = conn.append(quoted(folder), None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def create_folder(self, user: str, password: str, folder: str) -> None:
        conn = self.connect(user, password)
        try:
            typ, data = conn.create(quoted(folder))
            assert typ == "OK", data
        finally:
            conn.logout()

    def mailbox(self, user: str, password: str, folder: str = "INBOX") -> list[dict]:
        """The mails of a folder: each one's subject and whether it is read (\\Seen)."""
        conn = self.connect(user, password)
        try:
            typ, data = conn.select(quoted(folder), readonly=True)
            assert typ == "OK", data
            typ, data = conn.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                typ, parts = conn.uid(
                    "FETCH", uid.decode(), "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"
                )
                meta = b" ".join(p[0] if isinstance(p, tuple) else p for p in parts)
                header = next(p[1] for p in parts if isinstance(p, tuple))
                subject = email.message_from_bytes(header, policy=email.policy.default)["Subject"]
                found.append({"subject": str(subject), "seen": b"\\Seen" in meta})
            return found
        finally:
            conn.logout()
