"""The Xen blkif protocol as a checked model, and the arithmetic it implies.

``load_model()`` reads ``blkif.yaml`` (shipped in this package), lays out
every structure for every ABI and refuses a model whose declared sizes do
not match its fields. ``capacity()`` computes what a ring can carry;
``render_rst()`` produces the protocol reference page.
"""

from __future__ import annotations

from pathlib import Path

from sysabi.protocol.build import build_model
from sysabi.protocol.capacity import (
    Capacity,
    capacity,
    human_bytes,
    indirect_pages_for,
    max_segments,
    negotiated_segments,
    ring_requests,
    segments_per_indirect_page,
    slot_size,
)
from sysabi.protocol.model import Model
from sysabi.protocol.render import render_rst
from sysabi.protocol.source import read_yaml

#: The model that ships with sysabi.
DEFAULT_MODEL = Path(__file__).resolve().parent / "blkif.yaml"

__all__ = [
    "DEFAULT_MODEL",
    "Capacity",
    "Model",
    "capacity",
    "human_bytes",
    "indirect_pages_for",
    "load_model",
    "max_segments",
    "negotiated_segments",
    "render_rst",
    "ring_requests",
    "segments_per_indirect_page",
    "slot_size",
]


def load_model(path: Path | str | None = None) -> Model:
    """The validated blkif model at ``path`` (the shipped one by default).

    Raises :class:`sysabi.errors.SysabiError` naming the file and line of
    the first problem.
    """
    model_path = Path(path) if path is not None else DEFAULT_MODEL
    return build_model(read_yaml(model_path), model_path)
