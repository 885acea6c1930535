"""``python -m sysabi``."""

from __future__ import annotations

import sys

from sysabi.cli import main

sys.exit(main())
