"""sysabi: parse, lint, render and migration-check sysfs ABI documentation."""

from __future__ import annotations

__version__ = "0.1.0"
