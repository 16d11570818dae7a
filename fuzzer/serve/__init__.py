"""Trainer-facing serving: gymfuzz episodes as an OpenEnv environment server.

``gymfuzz serve PACK`` (:mod:`fuzzer.commands.serve`) runs OpenEnv's own server
(:mod:`fuzzer.serve.app`) whose sessions are isolated gymfuzz episodes
(:mod:`fuzzer.serve.session`). Observations carry the page's accessibility tree with
BrowserGym's element ids (:mod:`fuzzer.serve.axtree`); actions are BrowserGym's action
strings (:mod:`fuzzer.serve.actions`). :mod:`fuzzer.serve.client` is the typed client.
Needs the ``serve`` extra (``pip install 'gymfuzz[serve]'``).
"""
