"""The protocol reference page: the model through ``templates/blkif.rst.j2``.

The output is reStructuredText, so Jinja2's HTML autoescaping is off; text
taken from the model goes through the ``rst`` filter instead, which escapes
the characters that would otherwise start inline markup.
"""

from __future__ import annotations

import functools
from html import escape
from typing import Any

from sysabi.protocol.capacity import (
    capacity,
    human_bytes,
    max_segments,
    negotiated_segments,
    ring_requests,
    segments_per_indirect_page,
    slot_size,
)
from sysabi.protocol.figures import render_figures
from sysabi.protocol.model import FieldDecl, Model, Structure

TEMPLATE = "blkif.rst.j2"


def abi_ref(path: str) -> str:
    """An ``:abi:ref:`` role pointing at the ABI entry for ``path``."""
    return f":abi:ref:`{path}`"


def capacity_rows(model: Model, abi: str = "x86_64") -> list[dict[str, Any]]:
    """The capacity table: the scenarios the page discusses, computed."""
    per_page = segments_per_indirect_page(model, abi)
    scenarios = [
        ("inline segments only", model.ring.inline_segments),
        ("Linux blkfront default", model.indirect.frontend_default),
        ("Linux blkback's advertised limit", model.indirect.backend_advertised),
        ("one full indirect page", per_page),
        ("every indirect page", max_segments(model, abi)),
    ]
    rows = []
    for label, segments in scenarios:
        for order in (0, model.ring.max_order):
            cap = capacity(model, order=order, segments=segments, abi=abi)
            rows.append({"label": label, "cap": cap})
    return rows


def figure(svg: str, caption: str) -> str:
    """``svg`` (generated, never user text) as a ``raw`` HTML figure block of rST."""
    caption_html = f"<figcaption>{escape(caption)}</figcaption>"
    html = f'<figure class="sysabi-figure">\n{svg.strip()}\n{caption_html}\n</figure>'
    body = "\n".join(f"   {line}" if line.strip() else "" for line in html.splitlines())
    return f".. raw:: html\n\n{body}\n"


def offset_of(structure: Structure, field: FieldDecl, abi: str) -> str:
    """The offset of ``field`` in ``abi``, or a dash where the ABI lacks it."""
    if abi not in field.abis:
        return "—"
    placed = structure.layouts[abi].fields
    return str(next(f.offset for f in placed if f.name == field.name))


def render_context(model: Model) -> dict[str, Any]:
    """Everything the template reads, computed from the model."""
    orders = range(model.ring.max_order + 1)
    return {
        "model": model,
        "cap": functools.partial(capacity, model),
        "negotiated": functools.partial(negotiated_segments, model),
        "offset_of": offset_of,
        "abis": list(model.abis),
        "slot_sizes": {abi: slot_size(model, abi) for abi in model.abis},
        "ring_sizes": [
            {"order": order, "pages": 1 << order, "requests": ring_requests(model, order)}
            for order in orders
        ],
        "per_page": segments_per_indirect_page(model),
        "capacity_rows": capacity_rows(model),
        "figures": render_figures(model),
    }


def render_rst(model: Model) -> str:
    """The protocol reference page for ``model``, as reStructuredText."""
    from sysabi.render.project import rst_escape
    from sysabi.render.templates import environment as template_environment

    environment = template_environment(trim_blocks=True, lstrip_blocks=True)
    environment.filters["rst"] = lambda value: rst_escape(str(value))
    environment.filters["abi_ref"] = abi_ref
    environment.filters["bytes"] = human_bytes
    environment.filters["format_literal"] = "``{}``".format
    environment.filters["figure"] = figure
    return environment.get_template(TEMPLATE).render(render_context(model))
