"""Where sysabi touches what Sphinx and docutils do not offer as an API.

Each function here names what it relies on; tested with Sphinx 9.0.4 and docutils
0.22.4 (the versions ``pyproject.toml`` allows). A change in either shows up here,
not in the modules that use these.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any


def _colour_module() -> Any:
    """Sphinx's colour switch: ``sphinx._cli.util.colour`` (Sphinx >= 7.3), whose
    module global ``_COLOURING_DISABLED`` is the switch that ``disable_colour`` and
    ``enable_colour`` (``sphinx.util.console.nocolor``/``coloron``) set."""
    from sphinx._cli.util import colour

    return colour


@contextlib.contextmanager
def sphinx_colour(wanted: bool) -> Iterator[None]:
    """Let Sphinx colour its messages only if ``wanted``, and put back afterwards both
    its colour switch and ``NO_COLOR``.

    ``NO_COLOR`` is set while colour is not wanted because Sphinx's progress lines
    ask the environment (``terminal_supports_colour``), not the switch, whether to
    redraw themselves with escape codes, and take ``CI=true`` for a colour terminal.
    """
    colour = _colour_module()
    was_disabled = bool(colour._COLOURING_DISABLED)
    saved = os.environ.get("NO_COLOR")
    if wanted:
        colour.enable_colour()
    else:
        colour.disable_colour()
        os.environ.setdefault("NO_COLOR", "1")
    try:
        yield
    finally:
        colour._COLOURING_DISABLED = was_disabled
        if saved is None:
            os.environ.pop("NO_COLOR", None)
        else:
            os.environ["NO_COLOR"] = saved


def colour_enabled() -> bool:
    """Whether Sphinx colours its messages now (for tests of :func:`sphinx_colour`)."""
    return not _colour_module()._COLOURING_DISABLED


def quiet_epilog(app: Any) -> None:
    """Drop the builder's closing line ("The HTML pages are in <outdir>."): the site
    is published elsewhere. Relies on ``Sphinx.build`` printing ``builder.epilog``
    (a class attribute, shadowed here on the instance) only when it is not empty."""
    app.builder.epilog = ""
