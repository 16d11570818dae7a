"""Reference data: the airports the site knows, and the server-side autosuggest over them.

``GET /api/airports?q=lis`` answers ``{"q": "lis", "airports": [{"code", "city", "name"}]}``
with at most :data:`SUGGEST_LIMIT` airports whose code, city or name starts a word with the
query (case-insensitive), exact code first. An empty query answers no airports. The list is
fixed in code (not per tenant): it is not part of any episode's state.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SUGGEST_LIMIT = 8


@dataclass(frozen=True)
class Airport:
    """One airport: IATA ``code``, ``city`` and full ``name``."""

    code: str
    city: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "city": self.city, "name": self.name}


AIRPORTS: tuple[Airport, ...] = tuple(
    Airport(code, city, name)
    for code, city, name in (
        ("AMS", "Amsterdam", "Amsterdam Schiphol"),
        ("ATH", "Athens", "Athens International"),
        ("BCN", "Barcelona", "Barcelona El Prat"),
        ("BER", "Berlin", "Berlin Brandenburg"),
        ("BOS", "Boston", "Boston Logan International"),
        ("BRU", "Brussels", "Brussels Airport"),
        ("CDG", "Paris", "Paris Charles de Gaulle"),
        ("CPH", "Copenhagen", "Copenhagen Kastrup"),
        ("DUB", "Dublin", "Dublin Airport"),
        ("EDI", "Edinburgh", "Edinburgh Airport"),
        ("FCO", "Rome", "Rome Fiumicino"),
        ("FRA", "Frankfurt", "Frankfurt am Main"),
        ("GVA", "Geneva", "Geneva Airport"),
        ("HEL", "Helsinki", "Helsinki Vantaa"),
        ("IST", "Istanbul", "Istanbul Airport"),
        ("JFK", "New York", "New York John F. Kennedy"),
        ("LGW", "London", "London Gatwick"),
        ("LHR", "London", "London Heathrow"),
        ("LIN", "Milan", "Milan Linate"),
        ("LIS", "Lisbon", "Lisbon Humberto Delgado"),
        ("LYS", "Lyon", "Lyon Saint-Exupery"),
        ("MAD", "Madrid", "Madrid Barajas"),
        ("MAN", "Manchester", "Manchester Airport"),
        ("MUC", "Munich", "Munich Airport"),
        ("MXP", "Milan", "Milan Malpensa"),
        ("NCE", "Nice", "Nice Cote d'Azur"),
        ("ORD", "Chicago", "Chicago O'Hare"),
        ("ORY", "Paris", "Paris Orly"),
        ("OSL", "Oslo", "Oslo Gardermoen"),
        ("OPO", "Porto", "Porto Francisco Sa Carneiro"),
        ("PRG", "Prague", "Prague Vaclav Havel"),
        ("SFO", "San Francisco", "San Francisco International"),
        ("STN", "London", "London Stansted"),
        ("SVQ", "Seville", "Seville Airport"),
        ("VIE", "Vienna", "Vienna International"),
        ("WAW", "Warsaw", "Warsaw Chopin"),
        ("ZRH", "Zurich", "Zurich Airport"),
    )
)

CODES: frozenset[str] = frozenset(a.code for a in AIRPORTS)


def suggest(query: str, limit: int = SUGGEST_LIMIT) -> list[Airport]:
    """Airports matching *query* (see the module docstring), best first, at most *limit*.

    >>> [a.code for a in suggest("lon")]
    ['LGW', 'LHR', 'STN']
    >>> [a.code for a in suggest("LIS")]
    ['LIS']
    """
    q = query.strip().casefold()
    if not q:
        return []

    def rank(a: Airport) -> int | None:
        if a.code.casefold() == q:
            return 0
        if a.code.casefold().startswith(q):
            return 1
        words = f"{a.city} {a.name}".casefold().replace("-", " ").split()
        if any(w.startswith(q) for w in words) or a.city.casefold().startswith(q):
            return 2
        return None

    ranked = sorted((r, a.code, a) for a in AIRPORTS if (r := rank(a)) is not None)
    return [a for _, _, a in ranked[:limit]]


async def get_airports(request: Request) -> Response:
    q = request.query_params.get("q", "")[:60]
    return JSONResponse({"q": q, "airports": [a.to_json() for a in suggest(q)]})


routes = [Route("/api/airports", get_airports, methods=["GET"])]
