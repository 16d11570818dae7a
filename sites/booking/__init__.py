"""A small travel-and-scheduling site: the target of gymfuzz's drills.

Four pages share one top bar: Meetings (``/``, a custom calendar date picker), Preferences
(``/preferences``, three kinds of dropdown with optimistic saves), Trips (``/trips``, a
multi-step booking flow with server autosuggest, skeleton results, payment and review) and
Inbox (``/inbox``, read and send mail). Their JSON APIs are in :mod:`sites.booking.api`,
:mod:`sites.booking.preferences_api`, :mod:`sites.booking.trips_api`,
:mod:`sites.booking.inbox_api` and :mod:`sites.booking.airports`.

Run it with ``python -m sites.booking`` (see :mod:`sites.booking.server`), or build the ASGI
app with :func:`sites.booking.app.create_app`.

Every request may carry ``X-Gymfuzz-Episode: <tenant>``; each tenant has its own SQLite file,
so parallel episodes never see each other's rows. The admin API under ``/_admin`` (header
``X-Admin-Token``) resets a tenant to a fixture and reads back its full state for verifiers.
"""
