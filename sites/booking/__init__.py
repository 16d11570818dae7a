"""A meeting-booking site with a custom calendar date picker.

Run it with ``python -m sites.booking`` (see :mod:`sites.booking.server`), or build the ASGI
app with :func:`sites.booking.app.create_app`.

Every request may carry ``X-Gymfuzz-Episode: <tenant>``; each tenant has its own SQLite file,
so parallel episodes never see each other's rows. The admin API under ``/_admin`` (header
``X-Admin-Token``) resets a tenant to a fixture and reads back its full state for verifiers.
"""
