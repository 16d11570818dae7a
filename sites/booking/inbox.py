"""The mailbox of the Inbox page: e-mail rows, their rules and queries.

Each row of the ``emails`` table is ``{id, folder, sender, recipient, subject, body}`` with
``folder`` ``inbox`` or ``sent``. Mail sent from the page is stored in ``sent`` with sender
:data:`ME`; nothing is delivered anywhere. Sending is not deduplicated: every send is a row.

The ``parse_*`` functions raise ``ValueError`` naming the field and the value, e.g.
``to: expected an e-mail address, got 'x'``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

#: The address of the site's user: sender of every sent mail.
ME = "me@gymfuzz.test"

#: The mail folders.
FOLDERS = ("inbox", "sent")

#: Longest subject and body, in characters.
MAX_SUBJECT = 200
MAX_BODY = 5000

_ADDRESS_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_MAX_ADDRESS = 254
_COLUMNS = "id, folder, sender, recipient, subject, body"
_FIXTURE_FIELDS = frozenset(_COLUMNS.split(", "))

Row = dict[str, object]


@dataclass(frozen=True)
class Email:
    """One row of the ``emails`` table (a fixture's ``emails`` entry)."""

    id: int
    folder: str
    sender: str
    recipient: str
    subject: str
    body: str = ""


def parse_address(value: object, field: str) -> str:
    """An e-mail address like ``ann@example.com`` (surrounding spaces removed)."""
    if isinstance(value, str):
        address = value.strip()
        if len(address) <= _MAX_ADDRESS and _ADDRESS_RE.fullmatch(address):
            return address
    raise ValueError(f"{field}: expected an e-mail address, got {value!r}")


def parse_subject(value: object, field: str = "subject") -> str:
    """A non-blank subject of at most :data:`MAX_SUBJECT` characters, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: expected a non-empty string, got {value!r}")
    if len(value) > MAX_SUBJECT:
        raise ValueError(f"{field}: longer than {MAX_SUBJECT} characters ({len(value)})")
    return value.strip()


def parse_body(value: object, field: str = "body") -> str:
    """A string of at most :data:`MAX_BODY` characters; may be empty; kept as given."""
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected a string, got {value!r}")
    if len(value) > MAX_BODY:
        raise ValueError(f"{field}: longer than {MAX_BODY} characters ({len(value)})")
    return value


def parse_folder(value: object, field: str = "folder") -> str:
    """``inbox`` or ``sent``."""
    if isinstance(value, str) and value in FOLDERS:
        return value
    raise ValueError(f"{field}: expected one of {', '.join(FOLDERS)}, got {value!r}")


def parse_email(raw: object, where: str) -> Email:
    """Validate one fixture entry; *where* prefixes messages (``emails[2]``)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object, got {raw!r}")
    unknown = sorted(set(raw) - _FIXTURE_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(_FIXTURE_FIELDS))
        raise ValueError(f"{where}.{unknown[0]}: unknown field (allowed: {allowed})")
    ident = raw.get("id")
    if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
        raise ValueError(f"{where}.id: expected a positive integer, got {ident!r}")
    return Email(
        id=ident,
        folder=parse_folder(raw.get("folder"), f"{where}.folder"),
        sender=parse_address(raw.get("sender"), f"{where}.sender"),
        recipient=parse_address(raw.get("recipient"), f"{where}.recipient"),
        subject=parse_subject(raw.get("subject"), f"{where}.subject"),
        body=parse_body(raw.get("body", ""), f"{where}.body"),
    )


def list_emails(conn: sqlite3.Connection, folder: str) -> list[Row]:
    """The mails of *folder*, sorted by id."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM emails WHERE folder = ? ORDER BY id", (folder,))
    return [dict(row) for row in rows]


def get_email(conn: sqlite3.Connection, email_id: int) -> Row | None:
    """The mail with *email_id*, or ``None``."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM emails WHERE id = ?", (email_id,)).fetchone()
    return None if row is None else dict(row)


def send_email(conn: sqlite3.Connection, to: str, subject: str, body: str) -> Row:
    """Store an already validated mail from :data:`ME` in ``sent``; return its row."""
    cursor = conn.execute(
        "INSERT INTO emails (folder, sender, recipient, subject, body) VALUES ('sent', ?, ?, ?, ?)",
        (ME, to, subject, body),
    )
    email_id = cursor.lastrowid
    assert email_id is not None  # an INSERT always sets it
    row = get_email(conn, email_id)
    assert row is not None
    return row
