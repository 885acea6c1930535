"""Figures of the protocol reference, drawn from the model: SVG from Jinja2 templates.

Three pictures: the ring page (header, slots, unused tail), an indirect request
(its grant references, the indirect pages, the segments they list) and the
capacity of a ring against its order for several segment counts. Every number and
every proportion comes from the model through :mod:`sysabi.protocol.capacity`; the
templates (``templates/blkif-*.svg.j2``) only place them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sysabi.protocol.capacity import (
    capacity,
    human_bytes,
    max_segments,
    ring_requests,
    segments_per_indirect_page,
    slot_size,
)
from sysabi.protocol.model import Model

#: The figures, by name: each is ``templates/blkif-NAME.svg.j2``.
FIGURES = ("ring", "indirect", "capacity")
WIDTH = 880


@dataclass(frozen=True)
class Series:
    """One line of the capacity chart: a segment count, its points (x, y) and values."""

    label: str
    segments: int
    points: tuple[tuple[float, float], ...]
    values: tuple[int, ...]


def ring_context(model: Model, abi: str) -> dict[str, Any]:
    """The ring page at order 0: byte ranges scaled to the figure's width."""
    page, header = model.page_size, model.layout(model.ring.header, abi).size
    slot, used = slot_size(model, abi), ring_requests(model, 0, abi)
    scale = (WIDTH - 40) / page
    return {
        "page": page,
        "header": header,
        "slot": slot,
        "used": used,
        "room": (page - header) // slot,
        "unused": page - header - used * slot,
        "scale": scale,
        "x0": 20,
    }


def indirect_context(model: Model, abi: str) -> dict[str, Any]:
    """One indirect request: its grant references, pages and segments."""
    per_page = segments_per_indirect_page(model, abi)
    pages = model.ring.indirect_pages
    most = max_segments(model, abi)
    return {
        "request": "blkif_request_indirect",
        "pages": pages,
        "per_page": per_page,
        "segment_size": model.layout(model.ring.segment, abi).size,
        "max_segments": most,
        "data_bytes": human_bytes(most * model.page_size),
        "page_size": model.page_size,
        "inline": model.ring.inline_segments,
    }


def capacity_context(model: Model, abi: str) -> dict[str, Any]:
    """Bytes in flight against ring order (log scale) for the page's segment counts."""
    orders = list(range(model.ring.max_order + 1))
    counts = [
        ("inline", model.ring.inline_segments),
        ("blkfront default", model.indirect.frontend_default),
        ("one indirect page", segments_per_indirect_page(model, abi)),
        ("every indirect page", max_segments(model, abi)),
    ]
    counts = [(label, n) for label, n in counts if n <= max_segments(model, abi)]
    values = {
        n: [capacity(model, order=o, segments=n, abi=abi).bytes_in_flight for o in orders]
        for _, n in counts
    }
    low = math.floor(math.log2(min(min(v) for v in values.values())))
    high = math.ceil(math.log2(max(max(v) for v in values.values())))
    left, right, top, bottom = 90, WIDTH - 340, 30, 300

    def x(order: int) -> float:
        return left + (right - left) * order / max(1, len(orders) - 1)

    def y(value: int) -> float:
        return bottom - (bottom - top) * (math.log2(value) - low) / max(1, high - low)

    series = [
        Series(
            label,
            n,
            tuple((x(o), y(v)) for o, v in zip(orders, values[n], strict=True)),
            tuple(values[n]),
        )
        for label, n in counts
    ]
    ticks = [(y(1 << power), human_bytes(1 << power)) for power in range(low, high + 1, 2)]
    return {
        "series": series,
        "orders": [(x(o), o) for o in orders],
        "ticks": ticks,
        "box": (left, right, top, bottom),
        "requests": [ring_requests(model, o, abi) for o in orders],
    }


def render_figures(model: Model, abi: str = "x86_64") -> dict[str, str]:
    """Each figure's SVG text, by name (:data:`FIGURES`)."""
    from sysabi.render.templates import environment

    env = environment(trim_blocks=True, lstrip_blocks=True, autoescape=True)
    env.filters["bytes"] = human_bytes
    contexts = {
        "ring": ring_context(model, abi),
        "indirect": indirect_context(model, abi),
        "capacity": capacity_context(model, abi),
    }
    return {
        name: env.get_template(f"blkif-{name}.svg.j2").render(abi=abi, **contexts[name])
        for name in FIGURES
    }
