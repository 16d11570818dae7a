"""The ``gymfuzz`` commands: one module per command, each with ``add_parser`` and ``run``."""
