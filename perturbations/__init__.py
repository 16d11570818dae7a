"""gymfuzz page layer: the in-page runtime, one JS file per perturbation, and their catalog.

Public surface:

* :data:`PERTURBATIONS` / :class:`PerturbationSpec` / :func:`parse_params`: the catalog of
  page perturbation kinds and their validated parameters;
* :func:`build_bundle` / :func:`validate_config` / :class:`BundleConfig`: the JS bundle a
  proxy or a Playwright init script puts in every page, and its config.

This package imports nothing else of gymfuzz.
"""

from __future__ import annotations

from perturbations.bundle import (
    DEFAULT_REPORT_URL,
    BundleConfig,
    PagePerturbation,
    Target,
    Trigger,
    build_bundle,
    validate_config,
)
from perturbations.catalog import DRILL_NAMES, PERTURBATIONS, PerturbationSpec, parse_params

__all__ = [
    "DEFAULT_REPORT_URL",
    "DRILL_NAMES",
    "PERTURBATIONS",
    "BundleConfig",
    "PagePerturbation",
    "PerturbationSpec",
    "Target",
    "Trigger",
    "build_bundle",
    "parse_params",
    "validate_config",
]
