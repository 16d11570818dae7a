"""Embedded target web apps that the gymfuzz drills run against.

Each sub-package is a complete, real application (HTTP server plus SQLite storage) that imports
nothing else of gymfuzz, so it also runs on its own. See :mod:`sites.booking`.
"""
