"""Entry point for ``mitmdump -s proxy_addons/mitmdump_addon.py`` (gymfuzz installed)."""

from proxy_addons.addon import GymfuzzAddon

addons = [GymfuzzAddon()]
