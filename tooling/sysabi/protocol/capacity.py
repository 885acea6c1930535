"""The arithmetic of the ring: how many requests, how many bytes in flight.

Everything is derived from the model: the slot size from the structures, the
ring size from the page size and the header, the segments an indirect page
holds from the size of a segment descriptor.
"""

from __future__ import annotations

from dataclasses import dataclass

from sysabi.errors import SysabiError
from sysabi.protocol.model import Model


@dataclass(frozen=True, slots=True)
class Capacity:
    """What one ring can carry for a given order, segment count and ABI."""

    abi: str
    order: int
    ring_pages: int
    slot_size: int
    #: Requests the ring holds at once (a power of two).
    requests: int
    segments: int
    #: Indirect pages each request needs (0: segments fit inline).
    indirect_pages: int
    bytes_per_request: int
    bytes_in_flight: int

    @property
    def indirect(self) -> bool:
        """Whether requests of this size need BLKIF_OP_INDIRECT."""
        return self.indirect_pages > 0


def round_down_power_of_two(value: int) -> int:
    """The largest power of two not above ``value`` (0 for 0)."""
    return 1 << (value.bit_length() - 1) if value > 0 else 0


def slot_size(model: Model, abi: str) -> int:
    """Bytes of one ring slot: the largest of the request and response structures."""
    return max(model.layout(name, abi).size for name in model.ring.slot)


def ring_requests(model: Model, order: int, abi: str = "x86_64") -> int:
    """Slots in a ring of ``2**order`` pages, as the ring macros round them."""
    header = model.layout(model.ring.header, abi).size
    return round_down_power_of_two(
        (model.page_size * (1 << order) - header) // slot_size(model, abi)
    )


def segments_per_indirect_page(model: Model, abi: str = "x86_64") -> int:
    """Segment descriptors that fit in one indirect page."""
    return model.page_size // model.layout(model.ring.segment, abi).size


def indirect_pages_for(model: Model, segments: int, abi: str = "x86_64") -> int:
    """Indirect pages a request of ``segments`` needs (0 if they fit inline)."""
    if segments <= model.ring.inline_segments:
        return 0
    per_page = segments_per_indirect_page(model, abi)
    return -(-segments // per_page)


def max_segments(model: Model, abi: str = "x86_64") -> int:
    """The most segments one indirect request can describe."""
    return model.ring.indirect_pages * segments_per_indirect_page(model, abi)


def negotiated_segments(model: Model, frontend: int, backend: int | None) -> int:
    """Segments per request after negotiation, as Linux blkfront does it.

    ``backend`` is feature-max-indirect-segments, None when the key is absent.
    The frontend takes the smaller limit; at or below the inline count it
    does not use indirect requests at all.
    """
    inline = model.ring.inline_segments
    if backend is None:
        return inline
    chosen = min(frontend, backend)
    return chosen if chosen > inline else inline


def capacity(
    model: Model,
    order: int = 0,
    segments: int | None = None,
    indirect_pages: int | None = None,
    abi: str = "x86_64",
) -> Capacity:
    """The capacity of one ring.

    Give ``segments`` per request, or ``indirect_pages`` (full pages of
    segments); with neither, requests carry the inline maximum.
    """
    _check_arguments(model, order, abi)
    if indirect_pages is not None:
        segments = indirect_pages * segments_per_indirect_page(model, abi)
    if segments is None:
        segments = model.ring.inline_segments
    if not 1 <= segments <= max_segments(model, abi):
        raise SysabiError(
            f"segments must be between 1 and {max_segments(model, abi)}, not {segments}"
        )
    requests = ring_requests(model, order, abi)
    per_request = segments * model.page_size
    return Capacity(
        abi=abi,
        order=order,
        ring_pages=1 << order,
        slot_size=slot_size(model, abi),
        requests=requests,
        segments=segments,
        indirect_pages=indirect_pages_for(model, segments, abi),
        bytes_per_request=per_request,
        bytes_in_flight=requests * per_request,
    )


def _check_arguments(model: Model, order: int, abi: str) -> None:
    if abi not in model.abis:
        raise SysabiError(f"unknown ABI {abi!r} (known: {', '.join(model.abis)})")
    if not 0 <= order <= model.ring.max_order:
        raise SysabiError(f"ring order must be between 0 and {model.ring.max_order}, not {order}")


def human_bytes(value: int) -> str:
    """``value`` in the largest binary unit that divides it exactly (44 KiB, 32 MiB)."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if value >= size and value % size == 0:
            return f"{value // size:,} {unit}"
    if value >= 1 << 20:
        return f"{value / (1 << 20):.1f} MiB"
    if value >= 1 << 10:
        return f"{value / (1 << 10):.1f} KiB"
    return f"{value} B"
