"""Jinja2 templates: the user's ``templates_path`` first, then sysabi's own.

The package's templates live in ``templates/`` at the repository root in a source
checkout and in ``sysabi/templates`` in an installed wheel.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

import sysabi

#: The template naming the fields of an entry's frame, in order, with their labels.
ENTRY_LAYOUT_TEMPLATE = "abi-entry.txt.j2"
#: Field tags the frame knows how to show.
FRAME_TAGS = ("date", "kernelversion", "contact", "users", "source")


def package_templates() -> Path:
    """The folder holding sysabi's own templates."""
    installed = Path(sysabi.__file__).resolve().parent / "templates"
    if installed.is_dir():
        return installed
    return Path(sysabi.__file__).resolve().parent.parent.parent / "templates"


def environment(user_dirs: Sequence[str | Path] = (), **options: Any) -> jinja2.Environment:
    """A Jinja2 environment looking in ``user_dirs`` before the package's templates.

    ``options`` are further ``jinja2.Environment`` settings (``trim_blocks``...).
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in user_dirs]
    loaders.append(jinja2.FileSystemLoader(str(package_templates())))
    options.setdefault("autoescape", False)  # rST output by default; SVG asks for it
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        **options,
    )


def entry_layout(env: jinja2.Environment) -> tuple[tuple[str, str], ...]:
    """The (tag, label) pairs of an entry's frame, from ``abi-entry.txt.j2``.

    Raises ValueError naming the line of an unknown tag, so a user's override fails
    clearly rather than silently dropping a field.
    """
    text = env.get_template(ENTRY_LAYOUT_TEMPLATE).render()
    layout: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        tag, _, label = line.partition(":")
        tag = tag.strip().lower()
        if tag not in FRAME_TAGS:
            raise ValueError(
                f"{ENTRY_LAYOUT_TEMPLATE}:{number}: unknown field {tag!r} "
                f"(known: {', '.join(FRAME_TAGS)})"
            )
        layout.append((tag, label.strip() or tag))
    return tuple(layout)
