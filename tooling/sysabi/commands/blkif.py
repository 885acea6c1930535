"""``sysabi blkif``: the blkif protocol model and its arithmetic."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sysabi import protocol


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="blkif_action", metavar="ACTION", required=True)
    capacity = actions.add_parser(
        "capacity",
        help="bytes per request and in flight for a ring order and segment count",
        description="Compute what one blkif ring can carry, from the protocol model.",
    )
    capacity.add_argument(
        "--ring-order", type=int, default=0, metavar="N", help="log2 of the ring's pages (0-4)"
    )
    capacity.add_argument(
        "--segments",
        type=int,
        default=None,
        metavar="S",
        help="segments (pages) per request; above 11 uses indirect descriptors (default 11)",
    )
    capacity.add_argument("--abi", default="x86_64", help="structure layout (x86_64 or x86_32)")
    capacity.add_argument("--model", default=None, metavar="YAML", help="another blkif model file")


def run(args: argparse.Namespace) -> int:
    from sysabi import protocol

    model = protocol.load_model(args.model)
    result = protocol.capacity(model, order=args.ring_order, segments=args.segments, abi=args.abi)
    for label, value in _lines(result, model):
        print(f"{label + ':':<28}{value}")
    return 0


def _lines(result: protocol.Capacity, model: protocol.Model) -> list[tuple[str, str]]:
    from sysabi.protocol import human_bytes

    kind = "indirect" if result.indirect else "inline"
    return [
        ("abi", result.abi),
        ("ring page order", f"{result.order} ({result.ring_pages} page(s))"),
        ("slot size", f"{result.slot_size} bytes"),
        ("requests in flight", str(result.requests)),
        ("segments per request", f"{result.segments} ({kind})"),
        ("indirect pages per request", str(result.indirect_pages)),
        (
            "bytes per request",
            f"{result.bytes_per_request} ({human_bytes(result.bytes_per_request)})",
        ),
        ("bytes in flight", f"{result.bytes_in_flight} ({human_bytes(result.bytes_in_flight)})"),
        ("page size", f"{model.page_size} bytes"),
    ]
