"""The kernel's label names for ABI entries and files, computed as its tooling does.

The kernel's ``get_abi.py`` gives each entry the label ``abi_<first What>`` and each
file ``abi_file_<level>_<name>``, cleaned by one rule: lower-case (entries only), put
the prefix in front, replace each run of ASCII punctuation, space, control character
or Latin-1 character (``_`` included) by one ``_``, and strip ``_`` at both ends.
Documentation written for the kernel links to these names (``:ref:`abi_sys_...```),
so :class:`KernelLabels` computes them for a whole tree, once, in a fixed order.

A label met twice gets the kernel's suffix: it reseeds Python's generator with 42
for every entry and appends letters until the label is free, so the second holder
gets ``o``, the third ``oH`` and so on. The kernel walks files in directory order,
which varies between machines; here files are taken in path order, so the same tree
always gives the same labels (on the 6.12 tree this is the kernel's result too).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from sysabi.model import Entry, File, Tree

#: Runs of what the kernel's ``re_unprintable`` replaces by one ``_``.
_UNPRINTABLE = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xff]+")

#: The README's label. The kernel's depends on the absolute path of the source tree
#: (``abi_file_home_user_linux_Documentation_ABI_README``); this is the one its command
#: line gives, the same on every machine.
README_LABEL = "abi_file_Documentation_ABI_README"


def clean(text: str) -> str:
    """``text`` with each run of punctuation, blanks and Latin-1 as one ``_``, stripped."""
    return _UNPRINTABLE.sub("_", text).strip("_")


def entry_label(what: str) -> str:
    """The kernel's label of an entry whose first What is ``what``, before de-duplication."""
    return clean("abi_" + what.lower())


def file_label(path: str) -> str:
    """The kernel's label of the ABI file at ``path`` (``testing/sysfs-foo``); case is kept."""
    return clean("abi_file_" + path)


@lru_cache(maxsize=1)
def _suffix_letters() -> str:
    # The kernel's loop: seed(42), then randrange(0, 51) mapped onto A-Z, a-y, one letter
    # per collision. The generator and randrange are stable across CPython versions.
    generator = random.Random(42)
    letters = []
    for _ in range(64):
        code = generator.randrange(0, 51) + ord("A")
        if code > ord("Z"):
            code += ord("a") - ord("Z") - 1
        letters.append(chr(code))
    return "".join(letters)


def suffixed(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` plus the kernel's suffix letters until no label in ``taken``
    (compared in lower case, as Sphinx compares labels) has the result."""
    label = base
    for letter in _suffix_letters():
        if label.lower() not in taken:
            return label
        label += letter
    raise ValueError(f"more than {len(_suffix_letters())} ABI labels named {base!r}")


@dataclass
class KernelLabels:
    """The label of every entry and file of a tree; see the module's docstring."""

    #: File path (``testing/sysfs-foo``) -> label.
    files: dict[str, str] = field(default_factory=dict)
    #: (file path, line of the entry's first What) -> label.
    entries: dict[tuple[str, int], str] = field(default_factory=dict)

    @classmethod
    def of(cls, tree: Tree) -> KernelLabels:
        """Labels for ``tree``: files in path order, each before its entries."""
        labels = cls()
        taken: set[str] = {README_LABEL.lower()}
        for file in sorted(tree.files, key=lambda item: item.path):
            label = suffixed(file_label(file.path), taken)
            taken.add(label.lower())
            labels.files[file.path] = label
            for entry in file.entries:
                if not entry.whats:
                    continue
                label = suffixed(entry_label(entry.whats[0].text), taken)
                taken.add(label.lower())
                labels.entries[file.path, entry.line] = label
        return labels

    def entry(self, file: File, entry: Entry) -> str | None:
        """The label of ``entry`` of ``file``, or None if it has no What."""
        return self.entries.get((file.path, entry.line))
