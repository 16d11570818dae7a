"""The async endurance drill: stay aligned with the true state across a long flow.

The task: the inbox holds a queue of trip requests. For each one the agent books the named
flight and fare for the named passenger through the site's multi-step flow (airports from a
server-backed autosuggest, a results list that shows a skeleton before the flights arrive,
fare choice, passenger form, payment with validation, review, confirm), then replies to the
requester. Three requests make a path of about seventy actions; the final state must be
exactly right: one trip per request, one reply per requester, nothing else, no duplicate.

Perturbations race the autosuggest lists (a competing list that takes the Enter key), open
out-of-order modals over the fares and the payment step, slow and fail the flight search,
fail a booking before or after the backend stored it, and fail a reply the same two ways.
One scenario in ten is unsolvable: every booking fails before the backend; the agent must
escalate and change nothing.

The graph, perturbation space and the allowed/forbidden rules live in
``graphs/endurance.json``; the requests, the fixture (flights with decoys on each route,
the request e-mails) and the per-request required rules are drawn here.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from scenarios.covering import Row
from scenarios.drills.graph import GraphDrill, builtin_spec
from scenarios.fakedata import day_range, fake_value
from scenarios.seeds import child_seed
from scenarios.wording import Wording

SPEC = builtin_spec("endurance")

#: How many requests each scenario's inbox holds.
REQUESTS = 3

#: The date the site believes is "today" in every endurance scenario.
TODAY = dt.date(2026, 11, 23)

#: Airports the requests fly between (all known to the embedded site).
AIRPORTS = ("AMS", "BCN", "BER", "CDG", "CPH", "DUB", "FCO", "LIS", "MAD", "MUC", "PRG", "VIE")

FARES = ("basic", "standard", "flex")

#: The user's own address on the embedded site (the sender of every reply).
ME = "me@gymfuzz.test"


def _wording(line: str, intro: str, outro: str) -> str:
    """One phrasing of the whole goal, from the phrasing of one request (``{p}``: r1_ ...)."""
    lines = [f"{i}. " + line.replace("{p}", f"r{i}_") for i in range(1, REQUESTS + 1)]
    return intro + "; ".join(lines) + ". " + outro


#: The phrasings of the endurance goal: the first is the drill's original text; the others
#: reorder each request's fields, use synonyms and say the dates relative to ``today``.
GOAL_WORDING = Wording(
    [
        _wording(
            "{{p}flight} from {{p}origin} to {{p}destination} on {{p}date}, {{p}fare} fare, "
            "for {{p}passenger} <{{p}email}>",
            f"You are {{user}}. Work through the {REQUESTS} trip requests in your inbox. "
            "Book each trip exactly once: ",
            "Pay with card {card_number}, expiry {card_expiry}, CVC {card_cvc}. After each "
            "booking, reply to the requester with the subject 'Booked: <flight> on <date>'.",
        ),
        _wording(
            "for {{p}passenger} <{{p}email}>, a {{p}fare} fare on {{p}flight} "
            "({{p}origin} to {{p}destination}), {{p}date_relative} ({{p}date})",
            f"This is {{user}}. Your inbox has {REQUESTS} trip requests; "
            "[[reserve|book|buy]] each one once and only once: ",
            "The card is {card_number} (expiry {card_expiry}, CVC {card_cvc}). Once a trip is "
            "[[booked|confirmed]], answer its requester with the subject "
            "'Booked: <flight> on <date>'.",
        ),
        _wording(
            "{{p}date} ({{p}date_relative}): {{p}origin} to {{p}destination} on flight "
            "{{p}flight}, {{p}fare} fare, passenger {{p}passenger} <{{p}email}>",
            f"You are {{user}}. [[Handle|Process|Go through]] the {REQUESTS} trip requests "
            "waiting in your inbox, booking every trip exactly once: ",
            "[[Pay|Charge everything]] with card {card_number}, expiry {card_expiry}, CVC "
            "{card_cvc}, and reply to each requester with the subject "
            "'Booked: <flight> on <date>' after booking.",
        ),
    ],
    [f"r{i}_date" for i in range(1, REQUESTS + 1)],
)

_SEGMENT = [
    "type_origin",
    "pick_origin",
    "type_destination",
    "pick_destination",
    "set_date",
    "search",
    "results_shown",
    "choose_fare",
    "fill_passenger",
    "fill_payment",
    "confirm_trip",
    "trip_saved",
    "compose_reply",
    "send_reply",
    "reply_sent",
]


def luhn_complete(digits: str) -> str:
    """``digits`` followed by the Luhn check digit.

    >>> luhn_complete("400000000000000")
    '4000000000000002'
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def _email_of(name: str, n: int) -> str:
    local = ".".join("".join(c for c in part if c.isalnum()) for part in name.lower().split())
    return f"{local.strip('.') or 'traveller'}{n}@example.com"


class EnduranceDrill(GraphDrill):
    """Scenario factory for the async endurance drill (see the module docstring)."""

    def __init__(self, *, strength: int = 2, locale: str = "en_US") -> None:
        super().__init__(SPEC, strength=strength, locale=locale)
        self.path_source = "drill: one segment per request, with the fault branches"
        self.phrasings = GOAL_WORDING
        self._ids = [p.id for p in SPEC.perturbations]

    def configured(self, *, strength: int, locale: str) -> EnduranceDrill:
        """The endurance drill with another covering strength or locale."""
        return EnduranceDrill(strength=strength, locale=locale)

    def data(self, sseed: int) -> dict[str, str]:
        """Three requests on distinct routes, a passenger each, and the user's card."""
        rng = random.Random(child_seed(sseed, "requests"))
        days = day_range(dt.date(2026, 12, 1), dt.date(2027, 3, 1), True)
        out: dict[str, str] = {"requests": str(REQUESTS)}
        routes: set[tuple[str, str]] = set()
        numbers = rng.sample(range(100, 1000), REQUESTS * 3)
        for i in range(1, REQUESTS + 1):
            while True:
                origin, destination = rng.sample(AIRPORTS, 2)
                if (origin, destination) not in routes:
                    routes.add((origin, destination))
                    break
            name = fake_value(self.locale, "name", child_seed(sseed, "passenger", i))
            day = days[rng.randrange(len(days))]
            flight = f"GF{numbers[(i - 1) * 3]}"
            p = f"r{i}_"
            out |= {
                p + "origin": origin,
                p + "destination": destination,
                p + "date": day.isoformat(),
                p + "flight": flight,
                p + "fare": rng.choice(FARES),
                p + "passenger": name,
                p + "email": _email_of(name, i),
                p + "subject": f"Booked: {flight} on {day.isoformat()}",
                p + "decoys": f"GF{numbers[(i - 1) * 3 + 1]},GF{numbers[(i - 1) * 3 + 2]}",
            }
        out["card_number"] = luhn_complete("4" + "".join(str(rng.randrange(10)) for _ in range(14)))
        out["card_expiry"] = f"{rng.randrange(1, 13):02d}/{rng.randrange(28, 31)}"
        out["card_cvc"] = f"{rng.randrange(1000):03d}"
        out["user"] = fake_value(self.locale, "name", child_seed(sseed, "user"))
        return out

    def goal(self, data: dict[str, str]) -> dict[str, Any]:
        """The instruction in words, every request's fields, and the inbox as start page."""
        fields = {k: v for k, v in data.items() if k != "user" and not k.endswith("_decoys")}
        text = self.phrasings.templates[0].format_map(data)
        return {"text": text, "fields": fields, "start": self.spec.goal_template.start}

    def fixture(self, sseed: int, data: dict[str, str]) -> dict[str, Any]:
        """The requested flights with two decoys each, and the request e-mails."""
        rng = random.Random(child_seed(sseed, "fixture"))
        flights: list[dict[str, Any]] = []
        emails: list[dict[str, Any]] = []
        for i in range(1, REQUESTS + 1):
            p = f"r{i}_"
            numbers = [data[p + "flight"], *data[p + "decoys"].split(",")]
            hours = rng.sample(range(6, 21), len(numbers))
            for n, (number, hour) in enumerate(zip(numbers, hours, strict=True)):
                basic = rng.randrange(49, 180)
                flights.append(
                    {
                        "number": number,
                        "date": data[p + "date"],
                        "origin": data[p + "origin"],
                        "destination": data[p + "destination"],
                        "depart": f"{hour:02d}:{rng.choice((0, 15, 30, 45)):02d}",
                        "arrive": f"{hour + 2:02d}:{rng.choice((5, 20, 35, 50)):02d}",
                        "stops": 0 if n == 0 else rng.randrange(2),
                        "fares": {
                            "basic": basic,
                            "standard": basic + rng.randrange(30, 60),
                            "flex": basic + rng.randrange(90, 160),
                        },
                    }
                )
            emails.append(
                {
                    "id": i,
                    "folder": "inbox",
                    "sender": data[p + "email"],
                    "recipient": ME,
                    "subject": f"Trip request: {data[p + 'origin']} to "
                    f"{data[p + 'destination']} on {data[p + 'date']}",
                    "body": f"Hello, please book flight {data[p + 'flight']} on "
                    f"{data[p + 'date']} ({data[p + 'fare']} fare) for "
                    f"{data[p + 'passenger']}, {data[p + 'email']}. Thank you!",
                }
            )
        emails.append(
            {
                "id": REQUESTS + 1,
                "folder": "inbox",
                "sender": "news@travel.example",
                "recipient": ME,
                "subject": "Winter deals",
                "body": "Not a request: our winter deals are here.",
            }
        )
        flights.sort(key=lambda f: (f["date"], f["number"]))
        return {"today": TODAY.isoformat(), "flights": flights, "emails": emails}

    def verifier(self, data: dict[str, str]) -> dict[str, Any]:
        """One trip and one reply per request, nothing else; the template's never-rules."""
        required: list[dict[str, Any]] = []
        allowed: list[dict[str, Any]] = []
        for i in range(1, REQUESTS + 1):
            p = f"r{i}_"
            trip = {
                "flight": data[p + "flight"],
                "date": data[p + "date"],
                "fare": data[p + "fare"],
                "passenger": data[p + "passenger"],
                "email": data[p + "email"],
            }
            reply = {
                "folder": "sent",
                "recipient": data[p + "email"],
                "subject": data[p + "subject"],
            }
            required += [
                {"name": f"request {i}: exactly one trip {data[p + 'flight']}", "table": "trips",
                 "op": "added", "where": trip, "count": 1},
                {"name": f"request {i}: exactly one reply to {data[p + 'email']}",
                 "table": "emails", "op": "added", "where": reply, "count": 1},
            ]  # fmt: skip
            allowed += [
                {"name": f"request {i}: the trip", "table": "trips", "ops": ["added"],
                 "where": trip},
                {"name": f"request {i}: the reply", "table": "emails", "ops": ["added"],
                 "where": reply},
            ]  # fmt: skip
        spec = dict(super().verifier(data))
        return {"required": required, "allowed": allowed, "forbidden": spec["forbidden"]}

    def path(self, index: int, row: Row, data: dict[str, str]) -> list[str]:
        """One segment per request, with the branches the row's network faults cause."""
        level = {pid: self.levels[i][row[i]] if row else None for i, pid in enumerate(self._ids)}
        path = ["open_inbox", "open_trips"]
        for n in range(1, REQUESTS + 1):
            segment = list(_SEGMENT)
            if n == 2 and level["flaky_results"] is not None:
                at = segment.index("results_shown")
                segment[at:at] = ["results_failed", "retry_results"]
            if n == 2 and level["trip_error"] is not None:
                at = segment.index("trip_saved")
                after = level["trip_error"]["params"]["when"] == "after"
                branch = ["trip_failed", "check_trips"]
                segment[at : at + 1] = [*branch, "found_trip" if after else "retry_trip"]
                if not after:
                    segment.insert(segment.index("retry_trip") + 1, "trip_saved")
            if n == 1 and level["mail_error"] is not None:
                at = segment.index("reply_sent")
                if level["mail_error"]["params"]["when"] == "after":
                    segment[at : at + 1] = ["reply_failed", "check_sent"]
                else:
                    segment[at:at] = ["reply_failed", "check_sent", "resend", "send_reply"]
            path += segment
            path.append("next_request" if n < REQUESTS else "finish")
        return path
