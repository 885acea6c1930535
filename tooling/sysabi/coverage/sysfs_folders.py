"""Where a declared attribute lives in sysfs, worked out from the C code around it.

An attribute is a variable (``DEVICE_ATTR_RO(x)`` defines ``dev_attr_x``) listed in an
attribute array (``struct attribute *foo_attrs[] = { &dev_attr_x.attr, NULL }``); an
``attribute_group`` takes the array (``ATTRIBUTE_GROUPS(foo)`` makes ``foo_group`` and
``foo_groups``), maybe with a ``.name`` subfolder; and the group, or a list of groups,
is registered on something with a place in sysfs:

============================================  =========================================
``struct class`` ``.dev_groups``              ``/sys/class/<class>/<device>/``
``struct class`` ``.class_groups``            ``/sys/class/<class>/``
``struct bus_type`` ``.dev_groups``           ``/sys/bus/<bus>/devices/<device>/``
``struct bus_type`` ``.bus_groups``           ``/sys/bus/<bus>/``
``struct bus_type`` ``.drv_groups``           ``/sys/bus/<bus>/drivers/<driver>/``
a bus's driver (``struct pci_driver``...)     ``.dev_groups``: the bus's devices;
                                              ``.groups``: ``/sys/bus/<bus>/drivers/<name>/``
``struct miscdevice`` ``.groups``             ``/sys/class/misc/<name>/``
``sysfs_create_group(kobj, ...)`` with        ``/sys/kernel/<name>/`` (``kernel_kobj``,
``kobj = kobject_create_and_add(name, p)``    ``firmware_kobj``, ``power_kobj``, ``mm_kobj``...)
``device_create_file(dev, ...)``,             the devices of the file's one bus driver
``device_add_group(dev, ...)``...
============================================  =========================================

``module_param*`` is ``/sys/module/<module>/parameters/``. Anything else (a kobject of
a custom kset, a device of a type registered elsewhere) has no folder: callers fall
back to the name. The facts of several files (a driver's ``core.c`` registers what its
``sysfs.c`` declares) are merged by :func:`read_facts` over all of them.

Every scan is a bounded regular expression or a bounded brace count: a hostile file
costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from sysabi.coverage.interfaces import CSource, Declaration

#: How far an initializer (``= { ... }``) is read for its closing brace.
MAX_INITIALIZER_CHARS = 20_000
#: A device folder's name, tried in each place a What may name it.
DEVICE_NAMES = ("0", "0-0", "0000:00:00.0", "1-1:1.0", "dev0")
#: Placeholders a folder template holds, shown as is.
DEVICE, DRIVER = "<device>", "<driver>"

#: The bus of a ``struct <prefix>_driver`` where it is not the prefix itself.
_DRIVER_BUSES = {
    "mdio": "mdio_bus",
    "pcie_port_service": "pci_express",
    "phy": "mdio_bus",
    "usb_serial": "usb-serial",
}
#: Structs named ``*_driver`` that are no bus's driver.
_NOT_BUS_DRIVERS = frozenset({"device", "usb_composite", "usb_gadget", "cpufreq", "cpuidle"})
#: Kobjects of the kernel with a fixed place.
KOBJECTS = {
    "kernel_kobj": "/sys/kernel",
    "mm_kobj": "/sys/kernel/mm",
    "firmware_kobj": "/sys/firmware",
    "power_kobj": "/sys/power",
    "hypervisor_kobj": "/sys/hypervisor",
    "fs_kobj": "/sys/fs",
    "NULL": "/sys",
}


@dataclass(frozen=True, slots=True)
class Folder:
    """The folder an attribute is in: a template with placeholders, and how it was found."""

    #: ``/sys/class/hwmon/<device>`` (no last ``/``)
    template: str
    #: ``the .dev_groups of struct class hwmon``
    basis: str
    #: likely names of the device folder (``pwmchip0`` from ``dev_set_name``, the
    #: driver's ``foo.0``), tried before the generic :data:`DEVICE_NAMES`
    names: tuple[str, ...] = ()

    def probes(self) -> tuple[str, ...]:
        """Concrete paths of this folder, as Whats may write them (placeholders filled)."""
        forms = [self.template]
        parts = self.template.split("/")
        if self.template.startswith("/sys/class/") and len(parts) > 4:
            # A class device's own folder is under /sys/devices; the class holds links.
            rest = "/".join(parts[4:])
            forms += [f"/sys/devices/virtual/{parts[3]}/{rest}"]
            forms += [f"/sys/devices/platform/dev0/{parts[3]}/{rest}"]
        if self.template.startswith("/sys/bus/") and parts[4:6] == ["devices", DEVICE]:
            rest = "/".join(parts[6:])
            forms += [f"/sys/devices/{DEVICE}/{rest}".rstrip("/")]
            forms += [f"/sys/devices/platform/{DEVICE}/{rest}".rstrip("/")]
            forms += [f"/sys/devices/pci0000:00/{DEVICE}/{rest}".rstrip("/")]
        if DEVICE not in self.template and DRIVER not in self.template:
            return tuple(dict.fromkeys(forms))
        base = parts[3] if len(parts) > 3 else "dev"
        names = (*self.names, f"{base}0", *DEVICE_NAMES)
        found = [
            form.replace(DEVICE, name).replace(DRIVER, "drv0") for form in forms for name in names
        ]
        return tuple(dict.fromkeys(found))


@dataclass
class Facts:
    """What a set of C files says about attribute arrays, groups and registrations."""

    #: (source index, attribute variable) -> the arrays of that source listing it: an
    #: attribute is static, so another file's array of the same name is another's
    arrays_of: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    #: array -> (group, subfolder name or "")
    groups_of: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: group -> the group lists holding it
    lists_of: dict[str, set[str]] = field(default_factory=dict)
    #: group, group list or attribute variable -> folders it is registered at
    registered: dict[str, set[Folder]] = field(default_factory=dict)
    #: the bus of each bus driver the files define
    driver_buses: set[str] = field(default_factory=set)
    #: kobject variable -> its folder
    kobjects: dict[str, str] = field(default_factory=dict)
    #: (kobject variable, thing registered on it)
    on_kobject: set[tuple[str, str]] = field(default_factory=set)
    #: device names the files give (``pwmchip0`` from ``dev_set_name(dev, "pwmchip%d")``)
    device_names: set[str] = field(default_factory=set)

    def folders(self, declaration: Declaration, module: str, source: int = 0) -> set[Folder]:
        """The folders ``declaration`` of source number ``source`` (in the order given to
        :func:`read_facts`) is in; empty when it cannot be worked out."""
        if declaration.kind == "module_param":
            return {Folder(f"/sys/module/{module}/parameters", "module_param")}
        variable = declaration.variable
        if variable is None:
            return set()
        found = set(self._registered(variable, ""))
        for array in self.arrays_of.get((source, variable), ()):
            for group, sub in self.groups_of.get(array, ()):
                found.update(self._registered(group, sub))
                for group_list in self.lists_of.get(group, ()):
                    found.update(self._registered(group_list, sub))
        names = tuple(sorted(self.device_names))
        return {replace(f, names=(*f.names, *names)) for f in found}

    def _registered(self, name: str, sub: str) -> list[Folder]:
        folders = list(self.registered.get(name, ()))
        for kobject, item in self.on_kobject:
            if item == name and kobject in self.kobjects:
                folders.append(Folder(self.kobjects[kobject], f"kobject {kobject}"))
        if not sub:
            return folders
        return [Folder(f"{f.template}/{sub}", f"{f.basis}, group {sub}") for f in folders]


def read_facts(sources: Iterable[CSource], module: str) -> Facts:
    """The facts of all ``sources`` together (the files of one driver or folder)."""
    facts = Facts()
    for index, source in enumerate(sources):
        _read_one(index, source, module, facts)
    return facts


_ATTRIBUTE_ARRAY = re.compile(
    r"struct\s+(?:bin_)?attribute\s*\*\s*(?:const\s+)?(\w+)\s*\[[^\]\n]{0,40}\]\s*=\s*\{"
)
_GROUP = re.compile(r"struct\s+attribute_group\s+(\w+)\s*=\s*\{")
_GROUP_LIST = re.compile(
    r"struct\s+attribute_group\s*\*\s*(?:const\s+)?(\w+)\s*\[[^\]\n]{0,40}\]\s*=\s*\{"
)
_GROUPS_MACRO = re.compile(r"\b(BIN_)?(__)?ATTRIBUTE_GROUPS\s*\(\s*(\w+)\s*\)")
#: ``dev_set_name(&x->dev, "pwmchip%d", ...)``, ``.dev_name = "mhi"`` and the like.
_DEVICE_NAME = re.compile(
    r"(?:\bdev_set_name\s*\([^,;]{1,80},|\bdevice_create\w*\s*\([^;]{1,200}?,|\.dev_name\s*=)"
    r'\s*"([^"\n]{1,60})"'
)
_NAME_PREFIX = re.compile(r"([\w:.-]{1,40})(?:%[dux]|\Z)")
_INITIALIZER = re.compile(r"struct\s+(\w+)\s+(\w+)\s*=\s*\{")
_REFERENCE = re.compile(r"&\s*\(?\s*(\w+)")
_FIELD = re.compile(r"\.(\w+)\s*=\s*&?\s*(\"[^\"\n]{0,200}\"|\w+)")
_RUNTIME_GROUP = re.compile(
    r"\b(?:devm_)?(?:device_add_groups?|sysfs_create_groups?|device_create_file"
    r"|device_create_bin_file|sysfs_create_file|sysfs_create_bin_file|devm_device_add_groups?)"
    r"\s*\(\s*([^,()]{1,120}(?:\([^()]{0,80}\))?[^,()]{0,40}),\s*&?\s*(\w+)"
)
_KOBJECT = re.compile(
    r"\b(\w+)\s*=\s*kobject_create_and_add\s*\(\s*(\"[^\"\n]{1,100}\")\s*,\s*(\w+)"
)


def _initializers(pattern: re.Pattern[str], code: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` (ending in ``{``) that start after the previous one's body:
    each character is read by one body at most, so a file of nested ``{`` costs
    linear time."""
    after = 0
    for match in pattern.finditer(code):
        if match.start() >= after:
            after = match.end() + len(_body(code, match.end()))
            yield match


def _read_one(index: int, source: CSource, module: str, facts: Facts) -> None:
    code, text = source.code, source.text
    buses = set(facts.driver_buses)
    for match in _initializers(_ATTRIBUTE_ARRAY, code):
        for ref in _REFERENCE.finditer(_body(code, match.end())):
            facts.arrays_of.setdefault((index, ref[1]), set()).add(match[1])
    for match in _DEVICE_NAME.finditer(code):
        # The string's inside is blank in ``code``: read it from ``text``.
        prefix = _NAME_PREFIX.match(text[match.start(1) : match.end(1)])
        if prefix:
            facts.device_names.update({f"{prefix[1]}0", f"{prefix[1]}0-0"})
    for match in _initializers(_GROUP, code):
        fields = _fields(code, text, match.end())
        for key in ("attrs", "bin_attrs"):
            if key in fields:
                facts.groups_of.setdefault(fields[key], set()).add(
                    (match[1], fields.get("name", ""))
                )
    for match in _initializers(_GROUP_LIST, code):
        for ref in _REFERENCE.finditer(_body(code, match.end())):
            facts.lists_of.setdefault(ref[1], set()).add(match[1])
    for match in _GROUPS_MACRO.finditer(code):
        name = match[3]
        if not match[2]:
            facts.groups_of.setdefault(f"{name}_attrs", set()).add((f"{name}_group", ""))
        facts.lists_of.setdefault(f"{name}_group", set()).add(f"{name}_groups")
    names = _string_defines(source)
    for match in _initializers(_INITIALIZER, code):
        _registration(match[1], _fields(code, text, match.end(), names, module), facts)
    for match in _KOBJECT.finditer(code):
        parent = KOBJECTS.get(match[3]) or facts.kobjects.get(match[3])
        name = _unquoted(text[match.start(2) : match.end(2)])
        if parent is not None and name:
            facts.kobjects[match[1]] = f"{parent}/{name}"
    # A device given at run time is taken for a device of the file's own driver, when
    # the file defines one bus's drivers only.
    own = facts.driver_buses - buses
    for match in _RUNTIME_GROUP.finditer(code):
        target, item = match[1].strip(), match[2]
        kobject = re.sub(r"^&|\s", "", target)
        if kobject in facts.kobjects or kobject in KOBJECTS:
            facts.kobjects.setdefault(kobject, KOBJECTS.get(kobject, ""))
            facts.on_kobject.add((kobject, item))
        elif len(own) == 1 and re.search(r"\b(?:pdev|client|spi|pci_dev|hdev|intf)\b", target):
            (bus,) = own
            folder = Folder(f"/sys/bus/{bus}/devices/{DEVICE}", f"a device of the {bus} driver")
            facts.registered.setdefault(item, set()).add(folder)


_STRING_DEFINE = re.compile(r'^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+("[^"\n]{1,100}")', re.MULTILINE)


def _string_defines(source: CSource) -> dict[str, str]:
    """``#define DRV_NAME "foo"`` -> ``DRV_NAME: foo`` (read at the offsets of the
    blanked code, so that a define in a comment does not count)."""
    names: dict[str, str] = {}
    for match in _STRING_DEFINE.finditer(source.code):
        value = _unquoted(source.text[match.start(2) : match.end(2)])
        if value:
            names.setdefault(match[1], value)
    return names


def _registration(kind: str, fields: dict[str, str], facts: Facts) -> None:
    name = fields.get("name", "")
    folders: dict[str, Folder] = {}
    if kind == "class" and name:
        folders["dev_groups"] = Folder(f"/sys/class/{name}/{DEVICE}", f"struct class {name}")
        folders["class_groups"] = Folder(f"/sys/class/{name}", f"struct class {name}")
    elif kind == "bus_type" and name:
        basis = f"struct bus_type {name}"
        folders["dev_groups"] = Folder(f"/sys/bus/{name}/devices/{DEVICE}", basis)
        folders["bus_groups"] = Folder(f"/sys/bus/{name}", basis)
        folders["drv_groups"] = Folder(f"/sys/bus/{name}/drivers/{DRIVER}", basis)
    elif kind == "miscdevice" and name:
        folders["groups"] = Folder(f"/sys/class/misc/{name}", f"struct miscdevice {name}")
    elif kind.endswith("_driver") and kind[: -len("_driver")] not in _NOT_BUS_DRIVERS:
        prefix = kind[: -len("_driver")]
        bus = _DRIVER_BUSES.get(prefix, prefix)
        facts.driver_buses.add(bus)
        basis = f"struct {kind} {name or '?'}"
        folders["dev_groups"] = Folder(
            f"/sys/bus/{bus}/devices/{DEVICE}", basis, _named_devices(name)
        )
        folders["groups"] = Folder(f"/sys/bus/{bus}/drivers/{name or DRIVER}", basis)
    elif kind == "device_driver" and fields.get("bus", "").endswith("_bus_type"):
        bus = fields["bus"][: -len("_bus_type")]
        facts.driver_buses.add(bus)
        basis = f"struct device_driver {name or '?'}"
        folders["dev_groups"] = Folder(
            f"/sys/bus/{bus}/devices/{DEVICE}", basis, _named_devices(name)
        )
        folders["groups"] = Folder(f"/sys/bus/{bus}/drivers/{name or DRIVER}", basis)
    for key, folder in folders.items():
        if key in fields:
            facts.registered.setdefault(fields[key], set()).add(folder)


def _named_devices(driver: str) -> tuple[str, ...]:
    """How a bus driver's devices are often named: ``foo.0``, ``foo``."""
    return (f"{driver}.0", driver) if driver else ()


def _body(code: str, start: int) -> str:
    """The text of an initializer whose ``{`` ends at ``start``, up to its ``}``."""
    depth = 0
    end = min(len(code), start + MAX_INITIALIZER_CHARS)
    for index in range(start, end):
        char = code[index]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return code[start:index]
            depth -= 1
    return code[start:end]


def _fields(
    code: str,
    text: str,
    start: int,
    defines: dict[str, str] | None = None,
    module: str = "",
) -> dict[str, str]:
    """``.field = value`` pairs of an initializer (the first of each), strings unquoted.

    Strings are read from ``text``: ``code`` has their inside blanked, at the same offsets.
    """
    body = _body(code, start)
    fields: dict[str, str] = {}
    for match in _FIELD.finditer(body):
        key, value = match[1], match[2]
        if key in fields:
            continue
        if value.startswith('"'):
            offset = start + match.start(2)
            value = _unquoted(text[offset : offset + len(value)])
        elif key == "name":
            value = _named(value, defines or {}, module)
        fields[key] = value
    return fields


def _named(value: str, defines: dict[str, str], module: str) -> str:
    if value == "KBUILD_MODNAME":
        return module
    return defines.get(value, "")


def _unquoted(literal: str) -> str:
    inner = literal[1:-1]
    return inner if re.fullmatch(r"[\w.:+-]{1,100}", inner) else ""
