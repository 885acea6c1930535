"""The C macros that declare userspace interfaces, and what each call of one declares.

:mod:`sysabi.coverage.interfaces` reads calls of these macros in C; this module is
their catalogue: each macro's :class:`MacroForm` (which argument is the name, where the
mode comes from, which kobject the attribute belongs to), and the mode constants of
``include/linux/stat.h`` a permission argument may use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["module_param", "attribute"]
#: Where an attribute's macro puts it: the struct it makes says which kobject holds it.
Family = Literal["param", "device", "driver", "bus", "class", "bin", "kobj", "generic"]

_R, _W = 0o444, 0o200


@dataclass(frozen=True, slots=True)
class MacroForm:
    """How one macro declares an interface.

    The name is argument ``name_index``, between ``prefix`` and ``suffix`` (a local
    wrapper may paste them on); the mode is ``mode`` when fixed, else the text of
    argument ``mode_index`` (or ``mode_text``, a wrapper's own). ``arguments`` is the
    exact number of arguments, when the macro has one.
    """

    kind: Kind
    family: Family
    mode: int | None = None
    mode_index: int | None = None
    arguments: int | None = None
    name_index: int = 0
    prefix: str = ""
    suffix: str = ""
    mode_text: str | None = None
    #: the known macro a wrapper ends in (``DEVICE_ATTR_RO`` for ``FOO_ATTR``)
    inner: str | None = None


def _param(arguments: int) -> MacroForm:
    return MacroForm("module_param", "param", mode_index=arguments - 1, arguments=arguments)


def _attr(family: Family, mode: int | None = None, mode_index: int | None = None) -> MacroForm:
    return MacroForm("attribute", family, mode=mode, mode_index=mode_index)


_PARAMETERS = {
    "module_param": 3,
    "module_param_named": 4,
    "module_param_array": 4,
    "module_param_array_named": 5,
    "module_param_cb": 4,
    "module_param_string": 4,
    "module_param_call": 5,
    "module_param_unsafe": 3,
    "module_param_named_unsafe": 4,
    "module_param_cb_unsafe": 4,
    "module_param_hw": 4,
    "module_param_hw_named": 5,
    "module_param_hw_array": 5,
}
#: Each fixed-mode suffix and its mode (``include/linux/sysfs.h``, ``device.h``).
_FIXED = {"RW": 0o644, "RO": _R, "WO": _W, "ADMIN_RW": 0o600, "ADMIN_RO": 0o400}


def _families() -> dict[str, MacroForm]:
    forms: dict[str, MacroForm] = {}
    for prefix, family in (
        ("DEVICE_ATTR", "device"),
        ("DRIVER_ATTR", "driver"),
        ("BUS_ATTR", "bus"),
        ("CLASS_ATTR", "class"),
        ("BIN_ATTR", "bin"),
        ("__BIN_ATTR", "bin"),
        ("__ATTR", "generic"),
    ):
        kind: Family = family  # type: ignore[assignment]
        for suffix, mode in _FIXED.items():
            if prefix in ("DRIVER_ATTR", "BUS_ATTR", "CLASS_ATTR", "__ATTR") and "ADMIN" in suffix:
                continue
            forms[f"{prefix}_{suffix}"] = _attr(kind, mode=mode)
    for macro, family in (
        ("DEVICE_ATTR", "device"),
        ("DEVICE_ATTR_PREALLOC", "device"),
        ("DEVICE_ATTR_IGNORE_LOCKDEP", "device"),
        ("DEVICE_INT_ATTR", "device"),
        ("DEVICE_BOOL_ATTR", "device"),
        ("DEVICE_ULONG_ATTR", "device"),
        ("DEVICE_STRING_ATTR_RO", "device"),
        ("CLASS_ATTR_STRING", "class"),
        ("BIN_ATTR", "bin"),
        ("__BIN_ATTR", "bin"),
        ("__ATTR", "generic"),
        ("__ATTR_RW_MODE", "generic"),
        ("__ATTR_RO_MODE", "generic"),
        ("__ATTR_PREALLOC", "generic"),
        ("__ATTR_IGNORE_LOCKDEP", "generic"),
    ):
        forms[macro] = _attr(family, mode_index=1)  # type: ignore[arg-type]
    forms["BIN_ATTR_SIMPLE_RO"] = _attr("bin", mode=_R)
    forms["BIN_ATTR_SIMPLE_ADMIN_RO"] = _attr("bin", mode=0o400)
    forms["KOBJ_ATTR"] = _attr("kobj")
    forms["KOBJ_ATTR_RO"] = _attr("kobj", mode=_R)
    return forms


#: Every macro read, by name.
MACROS: dict[str, MacroForm] = {
    **{name: _param(count) for name, count in _PARAMETERS.items()},
    **_families(),
}
MODULE_PARAM_MACROS = tuple(name for name, form in MACROS.items() if form.kind == "module_param")
ATTRIBUTE_MACROS = tuple(name for name, form in MACROS.items() if form.kind == "attribute")

#: The variable a family's macro defines: ``DEVICE_ATTR_RO(x)`` is ``dev_attr_x``.
STRUCT_PREFIXES: dict[str, str] = {
    "device": "dev_attr_",
    "driver": "driver_attr_",
    "bus": "bus_attr_",
    "class": "class_attr_",
    "bin": "bin_attr_",
}

_R_ALL, _W_ALL, _X_ALL = 0o444, 0o222, 0o111
#: ``include/linux/stat.h`` and ``uapi/linux/stat.h``
MODE_CONSTANTS: dict[str, int] = {
    "S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100,
    "S_IRWXG": 0o070, "S_IRGRP": 0o040, "S_IWGRP": 0o020, "S_IXGRP": 0o010,
    "S_IRWXO": 0o007, "S_IROTH": 0o004, "S_IWOTH": 0o002, "S_IXOTH": 0o001,
    "S_IRWXUGO": 0o777, "S_IALLUGO": 0o7777, "S_IRUGO": _R_ALL, "S_IWUGO": _W_ALL,
    "S_IXUGO": _X_ALL, "VERIFY_OCTAL_PERMISSIONS": 0,
}  # fmt: skip
