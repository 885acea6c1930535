"""ABI45x: the ``Contact:`` field names someone who can be written to.

Real values: ``linux-iio@vger.kernel.org``, ``Name <user@example.org>``,
``"Name" <user@example.org>``, several of these separated by commas or
``or``, sometimes over continuation lines. A name alone
(``Mike Leach or Mathieu Poirier``) gives nobody to write to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sysabi.diagnostics import Severity
from sysabi.lint.field_text import find_in_field
from sysabi.lint.rule import Options, Problem, Rule, per_entry
from sysabi.model import KNOWN_TAGS, Entry, Field

#: What separates the words of a Contact; a word with an ``@`` is meant as an address.
#: (Split, not searched: a search for ``[^sep]*@`` rescans a long word from each of
#: its characters, and a 100 KB Contact without ``@`` took a minute.)
_SEPARATORS_RE = re.compile(r"[\s<>\"(),;]+")


def _candidates(text: str) -> list[str]:
    """The words of ``text`` that hold an ``@``; linear in the text's length."""
    if "@" not in text:
        return []
    return [word for word in _SEPARATORS_RE.split(text) if "@" in word]


#: A deliberately plain address check: a local part, a domain with a dot.
_ADDRESS_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_BRACKETED_RE = re.compile(r"<([^<>]*)>")
_EXAMPLE = "write 'Name <user@example.org>' or a mailing list such as 'linux-pm@vger.kernel.org'"


@per_entry
def _contact(entry: Entry) -> tuple[Field, str] | None:
    """The Contact field and the text its checks read (:func:`_contact_text`)."""
    item = entry.field("contact")
    return (item, _contact_text(item)) if item is not None and item.text else None


def _contact_text(item: Field) -> str:
    """The Contact's text up to a tag indented under it (``\t\tDescription:``): the
    kernel folds that field into the Contact, but it is no address to check; the
    missing field is ABI201's finding."""
    for line in item.lines[1:]:
        head, colon, _ = line.partition(":")
        if colon and head[:1].isspace() and head.strip().lower() in KNOWN_TAGS:
            cut = item.text.find(line.strip())
            return item.text[:cut] if cut > 0 else item.text
    return item.text


def _is_address(text: str) -> bool:
    return _ADDRESS_RE.fullmatch(text.rstrip(".:")) is not None


def check_no_address(entry: Entry, options: Options) -> Iterator[Problem]:
    """A Contact with no e-mail address or mailing list in it.

    Okay:
        What:\t\t/sys/foo
        Contact:\tLinux kernel mailing list <linux-kernel@vger.kernel.org>
    ABI451:
        What:\t\t/sys/foo
        Contact:\tMike Leach or Mathieu Poirier
    ABI451:
        What:\t\t/sys/foo
        Contact:\t<>
    """
    found = _contact(entry)
    if found is not None and not _candidates(found[1]):
        item, text = found
        yield Problem(f"no e-mail address in Contact {text!r}", item.value_span, _EXAMPLE)


def check_malformed(entry: Entry, options: Options) -> Iterator[Problem]:
    """An address that is not one: no domain, blanks inside ``<...>``, an
    unbalanced ``<`` or ``"``.

    Okay:
        What:\t\t/sys/foo
        Contact:\t"Jaegeuk Kim" <jaegeuk@kernel.org>,
        \t\tlinux-f2fs-devel@lists.sourceforge.net
    ABI452:
        What:\t\t/sys/foo
        Contact:\tFoo Bar <foo@bar>
    ABI452:
        What:\t\t/sys/foo
        Contact:\tFoo Bar <foo@bar.org
    ABI452:
        What:\t\t/sys/foo
        Contact:\t"Foo Bar <foo@bar.org>
    ABI452:
        What:\t\t/sys/foo
        Contact:\tFoo Bar <foo @bar.org>
    """
    found = _contact(entry)
    if found is None:
        return
    item, text = found
    for candidate in _candidates(text):
        if not _is_address(candidate):
            yield _at(item, candidate, f"{candidate!r} is not a valid e-mail address")
    for inside in _BRACKETED_RE.findall(text):
        if inside.strip() and not _is_address(inside.strip()):
            yield _at(item, f"<{inside}>", f"<{inside}> does not hold one e-mail address")
    if text.count("<") != text.count(">"):
        yield _at(item, "<" if text.count("<") > text.count(">") else ">", "unbalanced '<' '>'")
    if text.count('"') % 2:
        yield _at(item, '"', "unbalanced '\"'")


def _at(item: Field, needle: str, message: str) -> Problem:
    span = find_in_field(item, needle) or item.value_span
    return Problem(message, span, _EXAMPLE)


RULES: tuple[Rule, ...] = (
    Rule("ABI451", "contact-no-address", Severity.WARNING, "entry",
         "a Contact without an e-mail address", check_no_address),
    Rule("ABI452", "contact-malformed-address", Severity.WARNING, "entry",
         "a malformed e-mail address or unbalanced brackets", check_malformed),
)  # fmt: skip
