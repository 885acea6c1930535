"""The protocol page's figures: drawn from the model, so their numbers follow it."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest

from sysabi.protocol import (
    capacity,
    human_bytes,
    load_model,
    render_rst,
    ring_requests,
    segments_per_indirect_page,
    slot_size,
)
from sysabi.protocol.figures import render_figures
from sysabi.protocol.model import Model

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return ["".join(node.itertext()) for node in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("page_size", [4096, 8192])
def test_figures_show_the_models_numbers(page_size: int) -> None:
    model: Model = dataclasses.replace(load_model(), page_size=page_size)
    figures = render_figures(model)
    header = model.layout(model.ring.header, "x86_64").size
    slots, slot = ring_requests(model, 0), slot_size(model, "x86_64")
    ring = _texts(figures["ring"])
    assert f"One ring page ({page_size} bytes, x86_64)" in ring
    assert f"header: {header} bytes" in ring
    assert any(text.startswith(f"{slots} slots of {slot} bytes") for text in ring)
    assert len(re.findall(r'stroke-width="0.5"', figures["ring"])) == slots  # one box a slot
    per_page = segments_per_indirect_page(model)
    indirect = _texts(figures["indirect"])
    assert f"indirect_grefs[{model.ring.indirect_pages}]" in indirect
    assert f"indirect page 0: {per_page} segments" in indirect
    largest = capacity(model, order=model.ring.max_order, indirect_pages=model.ring.indirect_pages)
    labels = _texts(figures["capacity"])
    expected = f"{largest.segments} segments, every indirect page: "
    assert expected + human_bytes(largest.bytes_in_flight) in labels
    assert f"{ring_requests(model, model.ring.max_order)} req." in labels


def test_the_protocol_page_embeds_the_figures() -> None:
    page = render_rst(load_model())
    assert page.count(".. raw:: html") == 3
    assert page.count('<figure class="sysabi-figure">') == 3
