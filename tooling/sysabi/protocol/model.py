"""The blkif model as frozen dataclasses, after validation.

Everything a page or a command shows is here; sizes and offsets are the
computed ones (see :mod:`sysabi.protocol.layout`), checked against the sizes
the YAML declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Abi:
    """A machine ABI: the size and alignment of each scalar type."""

    name: str
    #: The value of the frontend's ``protocol`` key for this ABI.
    protocol: str
    #: Scalar type -> (size, alignment inside a structure).
    scalars: dict[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Constant:
    name: str
    value: int
    #: operation, status, limit, flag, info or linux (a Linux choice, not protocol).
    group: str
    meaning: str
    line: int


@dataclass(frozen=True, slots=True)
class FieldDecl:
    """A structure field as declared."""

    name: str
    type: str
    #: Array length (1 for a scalar or a single structure).
    count: int
    #: The constant that gives ``count``, if it was named.
    count_name: str | None
    #: The ABIs that have this field (all of them when the YAML says nothing).
    abis: tuple[str, ...]
    meaning: str
    line: int


@dataclass(frozen=True, slots=True)
class FieldLayout:
    """A field placed in one ABI."""

    name: str
    type: str
    count: int
    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class StructLayout:
    """A structure laid out for one ABI."""

    name: str
    abi: str
    size: int
    align: int
    fields: tuple[FieldLayout, ...]


@dataclass(frozen=True, slots=True)
class Structure:
    name: str
    summary: str
    #: The C declaration is packed: layout must then have no implicit padding.
    packed: bool
    fields: tuple[FieldDecl, ...]
    #: ABI -> computed layout (equal to the declared size, or loading fails).
    layouts: dict[str, StructLayout]
    line: int


@dataclass(frozen=True, slots=True)
class Ring:
    header: str
    slot: tuple[str, ...]
    segment: str
    inline_segments: int
    indirect_pages: int
    max_order: int


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    value: int
    structure: str
    #: The xenstore key that must announce the operation, if any.
    requires: str | None
    summary: str


@dataclass(frozen=True, slots=True)
class XenstoreKey:
    key: str
    writers: tuple[str, ...]
    type: str
    default: str
    meaning: str
    #: Paths of the ABI entries (module parameters) that govern this key.
    abi: tuple[str, ...]
    line: int

    @property
    def label(self) -> str:
        """The rST label of this key on the protocol page."""
        return f"blkif-key-{self.key}"


@dataclass(frozen=True, slots=True)
class HandshakeStep:
    actor: str
    state: str
    action: str


@dataclass(frozen=True, slots=True)
class Indirect:
    key: str
    frontend_parameter: str
    frontend_default: int
    backend_advertised: int
    steps: tuple[str, ...]
    migration: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModuleParameter:
    module: str
    name: str
    mode: str
    type: str
    default: str
    units: str
    version: str
    date: str
    #: For a removed parameter: (version, date) of removal and its successor.
    removed: tuple[str, str] | None
    replaced_by: str | None
    line: int

    @property
    def path(self) -> str:
        """The sysfs path of the parameter."""
        return f"/sys/module/{self.module}/parameters/{self.name}"

    @property
    def writable(self) -> bool:
        """Whether root may change it at run time through sysfs."""
        return int(self.mode, 8) & 0o200 != 0


@dataclass(frozen=True, slots=True)
class Model:
    path: Path
    name: str
    title: str
    page_size: int
    sector_size: int
    abis: dict[str, Abi]
    constants: dict[str, Constant]
    structures: dict[str, Structure]
    ring: Ring
    operations: tuple[Operation, ...]
    keys: tuple[XenstoreKey, ...]
    handshake: tuple[HandshakeStep, ...]
    indirect: Indirect
    parameters: tuple[ModuleParameter, ...]
    removed_parameters: tuple[ModuleParameter, ...]

    def layout(self, structure: str, abi: str) -> StructLayout:
        """The layout of ``structure`` in ``abi``."""
        return self.structures[structure].layouts[abi]

    def key(self, name: str) -> XenstoreKey:
        """The xenstore key called ``name``."""
        for key in self.keys:
            if key.key == name:
                return key
        raise KeyError(name)

    def keys_for(self, abi_path: str) -> tuple[XenstoreKey, ...]:
        """The xenstore keys that link to the ABI entry ``abi_path``."""
        return tuple(key for key in self.keys if abi_path in key.abi)
