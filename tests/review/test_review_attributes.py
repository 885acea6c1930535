"""New attributes and parameters matched by where they live, not by their name alone."""

from __future__ import annotations

from sysabi.reading.source import SourceFile, level_of
from sysabi.review.abi import build_sides
from sysabi.review.apply import AppliedSeries, PatchRecord
from sysabi.review.attributes import interface_findings
from sysabi.review.base import DictBase
from sysabi.review.series import Patch

ROOT = "Documentation/ABI"


def entry(what: str, description: str = "The value.") -> str:
    return (
        f"What:\t\t{what}\nDate:\t\tMarch 2024\nKernelVersion:\t6.9\n"
        f"Contact:\tfoo@example.org\nDescription:\n\t\t{description}\n\n"
    )


def review(
    base_abi: dict[str, str],
    c_files: dict[str, str],
    new_abi: dict[str, tuple[str, int]] | None = None,
    *,
    base_files: dict[str, str] | None = None,
    patches: tuple[Patch, ...] = (),
    c_patch: int = 1,
) -> list[tuple[str, str]]:
    """(code, message) of the findings: ``c_files`` all added by patch ``c_patch``,
    ``new_abi`` ABI files added whole by the patch given with each."""
    sources = [
        SourceFile(rel, f"{ROOT}/{rel}", f"{ROOT}/{rel}", level_of(rel, None), text.encode())
        for rel, text in base_abi.items()
    ]
    files: dict[str, bytes | None] = {path: text.encode() for path, text in c_files.items()}
    added: dict[str, dict[int, int]] = {
        path: dict.fromkeys(range(1, text.count("\n") + 2), c_patch)
        for path, text in c_files.items()
    }
    for rel, (text, patch) in (new_abi or {}).items():
        files[f"{ROOT}/{rel}"] = text.encode()
        added[f"{ROOT}/{rel}"] = dict.fromkeys(range(1, text.count("\n") + 2), patch)
    count = max([c_patch, *(patch for _, patch in (new_abi or {}).values())])
    applied = AppliedSeries(
        files=files,
        original=dict.fromkeys(files),
        patches=tuple(PatchRecord(i, f"patch {i}", ()) for i in range(1, count + 1)),
        renames=(),
        added=added,
    )
    sides = build_sides(ROOT, sources, applied)
    base = DictBase({k: v.encode() for k, v in (base_files or {}).items()})
    found = interface_findings(sides, applied, patches, base)
    return [(item.diagnostic.code, item.diagnostic.message) for item in found]


MHI = """\
static ssize_t serial_number_show(struct device *dev, struct device_attribute *a, char *b);
static DEVICE_ATTR_RO(serial_number);

static struct attribute *mhi_dev_attrs[] = {
\t&dev_attr_serial_number.attr,
\tNULL,
};
ATTRIBUTE_GROUPS(mhi_dev);

const struct bus_type mhi_bus_type = {
\t.name = "mhi",
\t.dev_name = "mhi",
\t.dev_groups = mhi_dev_groups,
};
"""


def test_a_name_documented_differently_in_the_folder_is_a_near_miss() -> None:
    # The shape of drivers/bus/mhi: the stable entry says serialnumber. Another class's
    # What ending in serial_number used to make this pass clean.
    base = {
        "stable/sysfs-bus-mhi": entry("/sys/bus/mhi/devices/.../serialnumber"),
        "testing/sysfs-class-other": entry("/sys/class/other/<dev>/serial_number"),
    }
    found = review(base, {"drivers/bus/mhi/host/init.c": MHI})
    assert [code for code, _ in found] == ["ABI953"]
    assert "serial_number (DEVICE_ATTR_RO) is documented as serialnumber" in found[0][1]


WIDGET = """\
static DEVICE_ATTR_RW(speed);
static DEVICE_ATTR_RO(level);
static struct attribute *widget_attrs[] = {
\t&dev_attr_speed.attr,
\t&dev_attr_level.attr,
\tNULL,
};
static const struct attribute_group widget_group = {
\t.name = "tuning",
\t.attrs = widget_attrs,
};
static const struct attribute_group *widget_groups[] = { &widget_group, NULL };
static const struct class widget_class = {
\t.name = "widget",
\t.dev_groups = widget_groups,
};
"""


def test_another_folders_what_of_the_same_name_hides_nothing() -> None:
    base = {
        "testing/sysfs-class-led": entry("/sys/class/leds/<led>/speed"),
        "testing/sysfs-class-widget": entry("/sys/class/widget/<dev>/tuning/level"),
    }
    found = review(base, {"drivers/misc/widget.c": WIDGET})
    assert len(found) == 1
    code, message = found[0]
    assert code == "ABI951"
    assert "speed (DEVICE_ATTR_RW) is documented by no What at" in message
    assert "/sys/class/widget/<device>/tuning/speed" in message
    assert "a What of another folder has its name: /sys/class/leds/<led>/speed" in message


def test_a_what_under_sys_devices_documents_a_class_device() -> None:
    base = {
        "testing/sysfs-class-widget": entry("/sys/devices/.../widget/widget<N>/tuning/speed")
        + entry("/sys/class/widget/<dev>/tuning/level"),
    }
    assert review(base, {"drivers/misc/widget.c": WIDGET}) == []


FIRMWARE = """\
static struct kobj_attribute current_value = __ATTR_RW(current_value);
static struct kobj_attribute display_name = __ATTR_RO(display_name);
static struct kobj_attribute brand_new = __ATTR_RO(brand_new);
static struct attribute *attrs[] = {
\t&current_value.attr, &display_name.attr, &brand_new.attr, NULL,
};
"""


def test_a_folder_entry_documents_the_attributes_its_description_names() -> None:
    folder_entry = entry(
        "/sys/class/firmware-attributes/*/attributes/*/",
        "Each setting has these files:\n\n\t\tcurrent_value:\n\t\t\tThe value.\n\n"
        "\t\tdisplay_name:\n\t\t\tA name.",
    )
    base = {"testing/sysfs-class-firmware-attributes": folder_entry}
    found = review(base, {"drivers/platform/x86/fw/attrs.c": FIRMWARE})
    assert [code for code, _ in found] == ["ABI951"]
    assert "brand_new" in found[0][1] and "matched by name" in found[0][1]


def test_an_attribute_documented_by_another_patch_is_said_so() -> None:
    docs = entry("/sys/class/widget/<dev>/tuning/speed") + entry(
        "/sys/class/widget/<dev>/tuning/level"
    )
    found = review({}, {"drivers/misc/widget.c": WIDGET}, {"testing/sysfs-class-widget": (docs, 2)})
    assert found == [
        ("ABI952", "new sysfs attribute speed is documented in patch 2/2"),
        ("ABI952", "new sysfs attribute level is documented in patch 2/2"),
    ]


def lone_patch(number: int, total: int) -> Patch:
    subject = f"[PATCH {number}/{total}] misc: widget"
    return Patch(1, 1, subject, "misc: widget", "a", "d", "m", "s", 1, (number, total), ())


def test_in_a_series_given_in_part_the_entry_may_be_in_a_patch_not_given() -> None:
    found = review({}, {"drivers/misc/widget.c": WIDGET}, patches=(lone_patch(2, 5),))
    assert {code for code, _ in found} == {"ABI951"}
    assert all(
        "only part of the series was given (patch 2/5): the entry may be in a patch not given"
        in message
        for _, message in found
    )
    whole = review({}, {"drivers/misc/widget.c": WIDGET}, patches=(lone_patch(1, 1),))
    assert all("not given" not in message for _, message in whole)


PARAMS = "static bool debug;\nmodule_param(debug, bool, 0644);\nmodule_param_unsafe(off, int, 0);\n"


def test_a_parameter_is_looked_up_under_its_module_from_the_makefile() -> None:
    makefile = {"drivers/misc/foo/Makefile": "obj-m += foo-drv.o\nfoo-drv-y := core.o\n"}
    c_files = {"drivers/misc/foo/core.c": PARAMS}
    elsewhere = {"testing/sysfs-module": entry("/sys/module/other/parameters/debug")}
    found = review(elsewhere, c_files, base_files=makefile)
    assert [code for code, _ in found] == ["ABI950"]
    assert "at /sys/module/foo_drv/parameters/debug" in found[0][1]
    documented = {"testing/sysfs-module": entry("/sys/module/foo_drv/parameters/debug")}
    assert review(documented, c_files, base_files=makefile) == []
