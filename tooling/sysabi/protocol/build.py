"""From the YAML nodes to a checked :class:`~sysabi.protocol.model.Model`.

Each section has its own small builder. Cross-references (a field's type, an
array count naming a constant, a key's ABI entry, an operation's structure)
are resolved here, so an error points at the line that holds the bad name.
"""

from __future__ import annotations

from pathlib import Path

from sysabi.protocol import layout
from sysabi.protocol.model import (
    Abi,
    Constant,
    FieldDecl,
    HandshakeStep,
    Indirect,
    Model,
    ModuleParameter,
    Operation,
    Ring,
    StructLayout,
    Structure,
    XenstoreKey,
)
from sysabi.protocol.reader import Reader
from sysabi.protocol.source import Node

WRITERS = ("backend", "frontend", "toolstack")
_PARAMETER_FIELDS = (
    "module",
    "name",
    "mode",
    "type",
    "default",
    "units",
    "since",
    "removed",
    "replaced_by",
)


def build_model(root: Node, path: Path) -> Model:
    """The validated model of the YAML tree ``root`` read from ``path``."""
    read = Reader(str(path))
    abis = _abis(read, root)
    constants = _constants(read, root)
    typedefs = _typedefs(read, root)
    structures = _structures(read, root, abis, typedefs, constants)
    parameters = _parameters(read, root, "module_parameters", constants)
    removed = _parameters(read, root, "removed_parameters", constants)
    keys = _keys(read, root, {p.path for p in parameters})
    return Model(
        path=path,
        name=read.value(root, "name", str, "model"),
        title=read.value(root, "title", str, "model"),
        page_size=read.value(root, "page_size", int, "model"),
        sector_size=read.value(root, "sector_size", int, "model"),
        abis=abis,
        constants=constants,
        structures=structures,
        ring=_ring(read, root, structures, constants),
        operations=_operations(read, root, constants, structures, keys),
        keys=keys,
        handshake=_handshake(read, root),
        indirect=_indirect(read, root, constants, keys, parameters),
        parameters=parameters,
        removed_parameters=removed,
    )


def _abis(read: Reader, root: Node) -> dict[str, Abi]:
    section = read.node(root, "abis", "model")
    abis = {}
    for name, node in section.items():
        where = f"abi {name}"
        node = read.check(node, Node, where, section.line)
        scalars = read.node(node, "scalars", where)
        shapes = {}
        for scalar, shape in scalars.items():
            pair = read.check(shape, list, f"{where}: scalar {scalar}", scalars.line)
            if len(pair) != 2 or not all(isinstance(n, int) and n > 0 for n in pair):
                raise read.error(
                    f"{where}: scalar {scalar} must be [size, alignment]", scalars.line
                )
            shapes[scalar] = (pair[0], pair[1])
        abis[name] = Abi(name, read.value(node, "protocol", str, where), shapes)
    return abis


def _typedefs(read: Reader, root: Node) -> dict[str, str]:
    section = read.optional(root, "typedefs", Node, "model", Node())
    return {
        name: read.check(t, str, f"typedef {name}", section.line) for name, t in section.items()
    }


def _constants(read: Reader, root: Node) -> dict[str, Constant]:
    constants: dict[str, Constant] = {}
    for node in read.nodes(root, "constants", "model"):
        name = read.value(node, "name", str, "constant")
        where = f"constant {name}"
        read.only(node, ("name", "value", "group", "meaning"), where)
        if name in constants:
            raise read.error(f"{where}: defined twice", node.line)
        value = read.value(node, "value", int, where)
        group = read.value(node, "group", str, where)
        constants[name] = Constant(name, value, group, read.text(node, "meaning", where), node.line)
    return constants


def resolve(
    read: Reader, value: object, constants: dict[str, Constant], what: str, line: int
) -> int:
    """An integer written as a number or as the name of a constant."""
    if isinstance(value, str):
        if value not in constants:
            raise read.error(f"{what}: unknown constant {value!r}", line)
        return constants[value].value
    return read.check(value, int, what, line)


def _fields(
    read: Reader, node: Node, struct: str, abis: dict[str, Abi], constants: dict[str, Constant]
) -> tuple[FieldDecl, ...]:
    fields = []
    for field in read.nodes(node, "fields", f"struct {struct}"):
        name = read.value(field, "name", str, f"struct {struct}: a field")
        where = f"struct {struct}: field {name}"
        read.only(field, ("name", "type", "count", "abis", "meaning"), where)
        count_value = field.get("count", 1)
        count = resolve(read, count_value, constants, f"{where}: count", field.line)
        only = read.strings(field, "abis", where) or tuple(abis)
        for abi in only:
            if abi not in abis:
                raise read.error(f"{where}: unknown ABI {abi!r}", field.line)
        type_name = read.value(field, "type", str, where)
        count_name = count_value if isinstance(count_value, str) else None
        meaning = read.text(field, "meaning", where)
        fields.append(FieldDecl(name, type_name, count, count_name, only, meaning, field.line))
    return tuple(fields)


def _structures(
    read: Reader,
    root: Node,
    abis: dict[str, Abi],
    typedefs: dict[str, str],
    constants: dict[str, Constant],
) -> dict[str, Structure]:
    structures: dict[str, Structure] = {}
    done: dict[str, dict[str, StructLayout]] = {abi: {} for abi in abis}
    for node in read.nodes(root, "structures", "model"):
        name = read.value(node, "name", str, "structure")
        if name in structures:
            raise read.error(f"struct {name}: defined twice", node.line)
        read.only(node, ("name", "summary", "packed", "fields", "size"), f"struct {name}")
        fields = _fields(read, node, name, abis, constants)
        packed = read.optional(node, "packed", bool, f"struct {name}", False)
        layouts = {}
        for abi in abis.values():
            layouts[abi.name] = _checked_layout(
                read, node, name, fields, abi, typedefs, done, packed
            )
            done[abi.name][name] = layouts[abi.name]
        summary = read.text(node, "summary", f"struct {name}")
        structures[name] = Structure(name, summary, packed, fields, layouts, node.line)
    return structures


def _checked_layout(
    read: Reader,
    node: Node,
    name: str,
    fields: tuple[FieldDecl, ...],
    abi: Abi,
    typedefs: dict[str, str],
    done: dict[str, dict[str, StructLayout]],
    packed: bool,
) -> StructLayout:
    """Lay out one structure in one ABI and hold it to its declared size."""
    try:
        placed = layout.lay_out(name, fields, abi, typedefs, done[abi.name])
    except layout.LayoutError as error:
        raise read.error(error.message, error.line) from error
    declared = read.node(node, "size", f"struct {name}")
    size = read.value(declared, abi.name, int, f"struct {name}: size")
    if size != placed.size:
        raise read.error(
            f"struct {name}: declared size {size} but fields give {placed.size} ({abi.name})",
            declared.line,
        )
    holes = layout.hidden_padding(placed)
    if packed and holes:
        raise read.error(
            f"struct {name} is packed but its {abi.name} layout pads: {', '.join(holes)}",
            node.line,
        )
    return placed


def _ring(
    read: Reader, root: Node, structures: dict[str, Structure], constants: dict[str, Constant]
) -> Ring:
    node = read.node(root, "ring", "model")

    def structure(name: str) -> str:
        if name not in structures:
            raise read.error(f"ring: unknown structure {name!r}", node.line)
        return name

    def number(key: str) -> int:
        return resolve(read, node.get(key), constants, f"ring: {key}", node.line)

    slot = tuple(structure(s) for s in read.strings(node, "slot", "ring"))
    if not slot:
        raise read.error("ring: missing field 'slot'", node.line)
    return Ring(
        header=structure(read.value(node, "header", str, "ring")),
        slot=slot,
        segment=structure(read.value(node, "segment", str, "ring")),
        inline_segments=number("inline_segments"),
        indirect_pages=number("indirect_pages"),
        max_order=number("max_order"),
    )


def _operations(
    read: Reader,
    root: Node,
    constants: dict[str, Constant],
    structures: dict[str, Structure],
    keys: tuple[XenstoreKey, ...],
) -> tuple[Operation, ...]:
    known_keys = {key.key for key in keys}
    operations = []
    for node in read.nodes(root, "operations", "model"):
        name = read.value(node, "constant", str, "operation")
        value = resolve(read, name, constants, f"operation {name}", node.line)
        struct = read.value(node, "structure", str, f"operation {name}")
        if struct not in structures:
            raise read.error(f"operation {name}: unknown structure {struct!r}", node.line)
        requires = read.optional(node, "requires", str, f"operation {name}", "") or None
        if requires is not None and requires not in known_keys:
            raise read.error(f"operation {name}: unknown xenstore key {requires!r}", node.line)
        summary = read.text(node, "summary", f"operation {name}")
        operations.append(Operation(name, value, struct, requires, summary))
    return tuple(operations)


def _keys(read: Reader, root: Node, parameter_paths: set[str]) -> tuple[XenstoreKey, ...]:
    keys: list[XenstoreKey] = []
    for node in read.nodes(root, "xenstore", "model"):
        name = read.value(node, "key", str, "xenstore key")
        where = f"xenstore key {name}"
        read.only(node, ("key", "writers", "type", "default", "meaning", "abi"), where)
        if any(key.key == name for key in keys):
            raise read.error(f"{where}: defined twice", node.line)
        writers = read.strings(node, "writers", where)
        if not writers or not set(writers) <= set(WRITERS):
            raise read.error(f"{where}: writers must be some of {', '.join(WRITERS)}", node.line)
        links = read.strings(node, "abi", where)
        for link in links:
            if link not in parameter_paths:
                raise read.error(f"{where}: {link} is not a module parameter", node.line)
        kind = read.value(node, "type", str, where)
        default = str(read.value(node, "default", str, where))
        meaning = read.text(node, "meaning", where)
        keys.append(XenstoreKey(name, writers, kind, default, meaning, links, node.line))
    return tuple(keys)


def _handshake(read: Reader, root: Node) -> tuple[HandshakeStep, ...]:
    steps = []
    for node in read.nodes(root, "handshake", "model"):
        actor = read.value(node, "actor", str, "handshake step")
        state = read.value(node, "state", str, "handshake step")
        steps.append(HandshakeStep(actor, state, read.text(node, "action", "handshake step")))
    return tuple(steps)


def _indirect(
    read: Reader,
    root: Node,
    constants: dict[str, Constant],
    keys: tuple[XenstoreKey, ...],
    parameters: tuple[ModuleParameter, ...],
) -> Indirect:
    node = read.node(root, "indirect", "model")
    key = read.value(node, "key", str, "indirect")
    if key not in {k.key for k in keys}:
        raise read.error(f"indirect: unknown xenstore key {key!r}", node.line)
    parameter = read.value(node, "frontend_parameter", str, "indirect")
    if parameter not in {p.path for p in parameters}:
        raise read.error(f"indirect: {parameter} is not a module parameter", node.line)
    return Indirect(
        key=key,
        frontend_parameter=parameter,
        frontend_default=resolve(
            read, node.get("frontend_default"), constants, "indirect", node.line
        ),
        backend_advertised=resolve(
            read, node.get("backend_advertised"), constants, "indirect", node.line
        ),
        steps=tuple(" ".join(s.split()) for s in read.strings(node, "steps", "indirect")),
        migration=tuple(" ".join(s.split()) for s in read.strings(node, "migration", "indirect")),
    )


def _parameters(
    read: Reader, root: Node, section: str, constants: dict[str, Constant]
) -> tuple[ModuleParameter, ...]:
    parameters = []
    for node in read.optional(root, section, list, "model", []):
        node = read.check(node, Node, f"each item of {section!r}", root.line)
        parameters.append(_parameter(read, node, constants))
    return tuple(parameters)


def _parameter(read: Reader, node: Node, constants: dict[str, Constant]) -> ModuleParameter:
    module = read.value(node, "module", str, "module parameter")
    name = read.value(node, "name", str, "module parameter")
    where = f"module parameter {module}.{name}"
    read.only(node, _PARAMETER_FIELDS, where)
    mode = read.value(node, "mode", str, where)
    if mode not in ("0444", "0644", "0600", "0400"):
        raise read.error(f'{where}: mode must be a quoted octal mode like "0644"', node.line)
    default = read.value(node, "default", str, where)
    if default in constants:
        default = str(constants[default].value)
    since = read.node(node, "since", where)
    removed = None
    if "removed" in node:
        gone = read.node(node, "removed", where)
        removed = (read.value(gone, "version", str, where), read.value(gone, "date", str, where))
    return ModuleParameter(
        module=module,
        name=name,
        mode=mode,
        type=read.value(node, "type", str, where),
        default=default,
        units=read.value(node, "units", str, where),
        version=read.value(since, "version", str, f"{where}: since"),
        date=read.value(since, "date", str, f"{where}: since"),
        removed=removed,
        replaced_by=read.optional(node, "replaced_by", str, where, "") or None,
        line=node.line,
    )
