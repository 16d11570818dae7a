"""The inbox rules, the ``emails`` fixture key and the e-mail API (in-process app)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from sites.booking.fixture import default_fixture, parse_fixture
from sites.booking.inbox import ME, Email
from tests.sites.sample import ADMIN, FIXTURE, MAILS, episode

T1 = episode("t1")


@pytest.fixture
async def mailbox(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client, with tenant "t1" reset to FIXTURE plus :data:`MAILS`."""
    response = await client.put(
        "/_admin/tenants/t1", json={**FIXTURE, "emails": MAILS}, headers=ADMIN
    )
    assert response.status_code == 204, response.text
    return client


async def emails_table(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/_admin/tenants/t1/state", headers=ADMIN)
    table: dict[str, Any] = response.json()["emails"]
    return table


# ---- fixture ------------------------------------------------------------------------------


def test_fixture_emails_keep_their_ids_and_body_defaults_to_empty() -> None:
    raw = {k: v for k, v in MAILS[1].items() if k != "body"}
    fixture = parse_fixture({"today": "2026-11-23", "emails": [MAILS[0], raw]})
    assert fixture.emails == (
        Email(3, "inbox", "ann@example.com", ME, "Agenda", "Line one\nLine two"),
        Email(5, "sent", ME, "bo@example.com", "Re: Agenda", ""),
    )
    assert parse_fixture({"today": "2026-11-23"}).emails == ()


def test_default_fixture_has_two_inbox_mails() -> None:
    emails = default_fixture(date(2026, 11, 23)).emails
    assert [(m.id, m.folder, m.recipient) for m in emails] == [(1, "inbox", ME), (2, "inbox", ME)]


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        ({}, r"^emails: expected a list, got \{\}$"),
        (["x"], r"^emails\[0\]: expected an object, got 'x'$"),
        ([{**MAILS[0], "id": 0}], r"^emails\[0\]\.id: expected a positive integer, got 0$"),
        (
            [{**MAILS[0], "folder": "spam"}],
            r"^emails\[0\]\.folder: expected one of inbox, sent, got 'spam'$",
        ),
        (
            [MAILS[0], {**MAILS[1], "sender": "me"}],
            r"^emails\[1\]\.sender: expected an e-mail address, got 'me'$",
        ),
        (
            [{**MAILS[0], "recipient": None}],
            r"^emails\[0\]\.recipient: expected an e-mail address, got None$",
        ),
        ([{**MAILS[0], "subject": " "}], r"^emails\[0\]\.subject: expected a non-empty string"),
        ([{**MAILS[0], "body": 5}], r"^emails\[0\]\.body: expected a string, got 5$"),
        ([{**MAILS[0], "cc": "x"}], r"^emails\[0\]\.cc: unknown field \(allowed: body, folder"),
        ([MAILS[0], MAILS[0]], r"^emails\[1\]\.id: duplicate id 3$"),
    ],
)
def test_bad_fixture_emails_name_field_and_value(emails: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fixture({"today": "2026-11-23", "emails": emails})


# ---- API ----------------------------------------------------------------------------------


async def test_list_each_folder_sorted_by_id(mailbox: httpx.AsyncClient) -> None:
    inbox = await mailbox.get("/api/emails", params={"folder": "inbox"}, headers=T1)
    assert inbox.status_code == 200
    assert inbox.json() == {"emails": [MAILS[0], MAILS[2]]}
    sent = await mailbox.get("/api/emails", params={"folder": "sent"}, headers=T1)
    assert sent.json() == {"emails": [MAILS[1]]}
    other_tenant = await mailbox.get("/api/emails", params={"folder": "inbox"})
    assert [m["id"] for m in other_tenant.json()["emails"]] == [1, 2]  # default fixture


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"folder": "spam"}, "folder: expected one of inbox, sent, got 'spam'"),
        ({}, "folder: expected one of inbox, sent, got None"),
    ],
)
async def test_other_folder_is_400(
    mailbox: httpx.AsyncClient, params: dict[str, str], error: str
) -> None:
    response = await mailbox.get("/api/emails", params=params, headers=T1)
    assert response.status_code == 400
    assert response.json() == {"error": error}


async def test_get_one_email_or_404(mailbox: httpx.AsyncClient) -> None:
    response = await mailbox.get("/api/emails/3", headers=T1)
    assert response.status_code == 200
    assert response.json() == MAILS[0]
    missing = await mailbox.get("/api/emails/4", headers=T1)
    assert missing.status_code == 404
    assert missing.json() == {"error": "email 4 not found"}


async def test_send_stores_a_sent_row_every_time(mailbox: httpx.AsyncClient) -> None:
    mail = {"to": " dee@example.com ", "subject": " Trip ", "body": "  See you\n"}
    first = await mailbox.post("/api/emails", json=mail, headers=T1)
    assert first.status_code == 201
    expected = {
        "id": 10,
        "folder": "sent",
        "sender": ME,
        "recipient": "dee@example.com",
        "subject": "Trip",
        "body": "  See you\n",
    }
    assert first.json() == expected
    second = await mailbox.post("/api/emails", json=mail, headers=T1)
    assert second.json() == {**expected, "id": 11}
    table = await emails_table(mailbox)
    assert sorted(table, key=int) == ["3", "5", "9", "10", "11"]
    assert table["10"] == expected
    sent = await mailbox.get("/api/emails", params={"folder": "sent"}, headers=T1)
    assert [m["id"] for m in sent.json()["emails"]] == [5, 10, 11]


async def test_send_without_body_stores_an_empty_body(mailbox: httpx.AsyncClient) -> None:
    response = await mailbox.post("/api/emails", json={"to": "a@b.co", "subject": "Hi"}, headers=T1)
    assert response.status_code == 201
    assert response.json()["body"] == ""


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"to": "x", "subject": "S"}, 422, "to: expected an e-mail address, got 'x'"),
        ({"to": "a@b", "subject": "S"}, 422, "to: expected an e-mail address, got 'a@b'"),
        ({"subject": "S"}, 422, "to: expected an e-mail address, got None"),
        ({"to": "a@b.co", "subject": ""}, 422, "subject: expected a non-empty string, got ''"),
        ({"to": "a@b.co"}, 422, "subject: expected a non-empty string, got None"),
        (
            {"to": "a@b.co", "subject": "s" * 201},
            422,
            "subject: longer than 200 characters (201)",
        ),
        (
            {"to": "a@b.co", "subject": "S", "body": "b" * 5001},
            422,
            "body: longer than 5000 characters (5001)",
        ),
        ({"to": "a@b.co", "subject": "S", "body": None}, 422, "body: expected a string, got None"),
        (
            {"to": "a@b.co", "subject": "S", "cc": "c@d.co"},
            422,
            "cc: unknown field (allowed: to, subject, body)",
        ),
        (["a@b.co"], 422, "body: expected a JSON object, got ['a@b.co']"),
    ],
)
async def test_invalid_send_names_field_and_value_and_stores_nothing(
    mailbox: httpx.AsyncClient, body: object, status: int, error: str
) -> None:
    response = await mailbox.post("/api/emails", json=body, headers=T1)
    assert response.status_code == status
    assert response.json() == {"error": error}
    assert sorted(await emails_table(mailbox), key=int) == ["3", "5", "9"]


async def test_longest_subject_and_body_are_accepted(mailbox: httpx.AsyncClient) -> None:
    mail = {"to": "a@b.co", "subject": "s" * 200, "body": "b" * 5000}
    response = await mailbox.post("/api/emails", json=mail, headers=T1)
    assert response.status_code == 201


async def test_send_body_that_is_not_json_is_400(mailbox: httpx.AsyncClient) -> None:
    response = await mailbox.post("/api/emails", content=b"to=a", headers=T1)
    assert response.status_code == 400
    assert response.json()["error"].startswith("body: invalid JSON")


async def test_inbox_page_is_served_uncached(client: httpx.AsyncClient) -> None:
    response = await client.get("/inbox")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "<title>Inbox</title>" in response.text
    assert '<nav class="site-nav">' in response.text
