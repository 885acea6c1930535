"""C structure layout: offsets, sizes and alignment, computed from the fields.

The rules are the C ones the blkif header relies on: each field starts at the
next multiple of its alignment, a structure is as aligned as its most aligned
field, and its size is rounded up to that alignment. A *packed* declaration
in the header must not depend on packing: its natural layout has to have no
hidden padding, which is what the header's explicit ``_pad`` fields are for.
"""

from __future__ import annotations

from collections.abc import Mapping

from sysabi.protocol.model import Abi, FieldDecl, FieldLayout, StructLayout


class LayoutError(Exception):
    """A field that cannot be placed; ``line`` is where it is declared."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def round_up(value: int, alignment: int) -> int:
    """``value`` rounded up to a multiple of ``alignment``."""
    return -(-value // alignment) * alignment


def type_shape(
    name: str, abi: Abi, typedefs: Mapping[str, str], done: Mapping[str, StructLayout]
) -> tuple[int, int] | None:
    """(size, alignment) of the type ``name`` in ``abi``, or None if unknown.

    ``done`` holds the structures already laid out in this ABI.
    """
    name = typedefs.get(name, name)
    if name in abi.scalars:
        return abi.scalars[name]
    if name in done:
        return done[name].size, done[name].align
    return None


def lay_out(
    struct: str,
    fields: tuple[FieldDecl, ...],
    abi: Abi,
    typedefs: Mapping[str, str],
    done: Mapping[str, StructLayout],
) -> StructLayout:
    """The layout of ``struct`` in ``abi``; raises :class:`LayoutError`."""
    offset, align, placed = 0, 1, []
    for field in fields:
        if abi.name not in field.abis:
            continue
        shape = type_shape(field.type, abi, typedefs, done)
        if shape is None:
            raise LayoutError(
                f"struct {struct}: field {field.name}: unknown type {field.type!r}", field.line
            )
        size, field_align = shape
        offset = round_up(offset, field_align)
        placed.append(FieldLayout(field.name, field.type, field.count, offset, size * field.count))
        offset += size * field.count
        align = max(align, field_align)
    return StructLayout(struct, abi.name, round_up(offset, align), align, tuple(placed))


def hidden_padding(layout: StructLayout) -> list[str]:
    """Where the natural layout inserts bytes the fields do not declare."""
    holes, end = [], 0
    for field in layout.fields:
        if field.offset != end:
            holes.append(f"{field.offset - end} byte(s) before {field.name}")
        end = field.offset + field.size
    if layout.size != end:
        holes.append(f"{layout.size - end} byte(s) at the end")
    return holes
