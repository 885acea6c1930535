"""The one reader of C interfaces, as ``coverage params`` and ``check-patch`` both use it."""

from __future__ import annotations

from pathlib import Path

from sysabi.coverage.interfaces import read_declarations
from sysabi.coverage.module_params import Parameter, find_parameters
from sysabi.review.apply import AppliedSeries
from sysabi.review.c_interfaces import find_added_interfaces, scan_source

# Three real shapes of 6.12 (drivers/net/ethernet/8390/ne.c, drivers/watchdog/sbc60xxwdt.c,
# sound/isa/...): I/O ports and IRQs given as hardware parameters.
HARDWARE = """\
static int io[MAX_NE_CARDS];
static int irq[MAX_NE_CARDS];
module_param_hw_array(io, int, ioport, NULL, 0);
module_param_hw_array(irq, int, irq, NULL, 0444);
module_param_hw(wdt_stop, int, ioport, 0644);
module_param_hw_named(base, wdt_base, int, iomem, S_IRUGO);
"""


def test_coverage_params_reads_hardware_parameters(tmp_path: Path) -> None:
    source = tmp_path / "ne.c"
    source.write_text(HARDWARE, encoding="utf-8")
    found = {p.name: p.permission for p in find_parameters([source]) if isinstance(p, Parameter)}
    assert found == {"io": 0, "irq": 0o444, "wdt_stop": 0o644, "base": 0o444}


def test_check_patch_and_coverage_read_the_same_parameters(tmp_path: Path) -> None:
    source = tmp_path / "ne.c"
    source.write_text(HARDWARE, encoding="utf-8")
    coverage = {p.name for p in find_parameters([source]) if isinstance(p, Parameter)}
    review = {call.name for call in scan_source(HARDWARE)}
    # The review leaves out what has no sysfs file (mode 0); otherwise the same.
    assert review == coverage - {"io"}


def test_bin_attributes_are_attributes() -> None:
    source = (
        "static BIN_ATTR_RW(eeprom, 256);\n"
        "static BIN_ATTR_RO(vpd, 0);\n"
        "static BIN_ATTR(rom, 0600, rom_read, rom_write, 0);\n"
        "static const BIN_ATTR_ADMIN_RO(config, 4096);\n"
    )
    found = {call.name: call.declaration for call in scan_source(source)}
    assert list(found) == ["eeprom", "vpd", "rom", "config"]
    assert {name: item.mode for name, item in found.items() if item} == {
        "eeprom": 0o644,
        "vpd": 0o444,
        "rom": 0o600,
        "config": 0o400,
    }
    assert found["eeprom"] and found["eeprom"].variable == "bin_attr_eeprom"


def test_local_wrapper_macros_are_followed() -> None:
    # Shapes of drivers/hwmon, drivers/power/supply and drivers/infiniband.
    source = (
        "#define FOO_ATTR_RO(_name) \\\n"
        "\tstatic DEVICE_ATTR_RO(_name)\n"
        "#define LED_ATTR(_name, _mode) static DEVICE_ATTR(led_ ## _name, _mode, s, t)\n"
        "#define TWICE(_n) FOO_ATTR_RO(_n)\n"
        "FOO_ATTR_RO(serial_number);\n"
        "LED_ATTR(brightness, 0600);\n"
        "TWICE(deep);\n"
        "NOT_A_WRAPPER(nothing);\n"
    )
    declarations, problems = read_declarations(source)
    assert problems == []
    assert [(d.name, d.macro, d.inner, d.mode, d.line) for d in declarations] == [
        ("serial_number", "FOO_ATTR_RO", "DEVICE_ATTR_RO", 0o444, 5),
        ("led_brightness", "LED_ATTR", "DEVICE_ATTR", 0o600, 6),
        ("deep", "TWICE", "DEVICE_ATTR_RO", 0o444, 7),
    ]
    assert declarations[1].variable == "dev_attr_led_brightness"


def test_a_parameter_of_mode_zero_is_not_a_new_interface() -> None:
    before = ""
    after = (
        "module_param_unsafe(hidden, int, 0);\n"
        "module_param_named_unsafe(secret, var, int, 0);\n"
        "module_param_unsafe(shown, int, 0444);\n"
    )
    applied = AppliedSeries(
        files={"d.c": after.encode()},
        original={"d.c": before.encode()},
        patches=(),
        renames=(),
        added={"d.c": {1: 1, 2: 1, 3: 1}},
    )
    assert [item.name for item in find_added_interfaces(applied)] == ["shown"]


def test_the_struct_type_gives_the_family_of_a_generic_attribute() -> None:
    source = (
        "static struct kobj_attribute current_value = __ATTR_RW(current_value);\n"
        "static struct device_attribute dev_attrs[] = {\n"
        "\t__ATTR(first, 0444, show, NULL),\n"
        "\t__ATTR_RO(second),\n"
        "};\n"
    )
    declarations, _ = read_declarations(source)
    assert [(d.name, d.family, d.variable) for d in declarations] == [
        ("current_value", "kobj", "current_value"),
        ("first", "device", "dev_attrs"),
        ("second", "device", "dev_attrs"),
    ]


def test_hostile_sources_cost_linear_time() -> None:
    import time

    from sysabi.coverage.interfaces import CSource
    from sysabi.coverage.sysfs_folders import read_facts

    nested = "struct a b = {" * 40_000  # every initializer open, none closed
    generic = "static struct kobj_attribute x[] = {" + " " * 300 + "__ATTR_RO(a)," * 40_000
    for text in (nested, generic):
        started = time.perf_counter()
        source = CSource(text)
        read_declarations(source)
        read_facts([source], "m")
        assert time.perf_counter() - started < 5


def test_a_static_attribute_is_found_in_its_own_files_arrays_only() -> None:
    # drivers/regulator: core.c and virtual.c both declare DEVICE_ATTR_RO(max_microvolts).
    from sysabi.coverage.interfaces import CSource
    from sysabi.coverage.sysfs_folders import read_facts

    core = CSource(
        "static DEVICE_ATTR_RO(max_microvolts);\n"
        "static struct attribute *regulator_dev_attrs[] = {\n"
        "\t&dev_attr_max_microvolts.attr, NULL };\n"
        "ATTRIBUTE_GROUPS(regulator_dev);\n"
        'const struct class regulator_class = { .name = "regulator",'
        " .dev_groups = regulator_dev_groups, };\n"
        'static int add(struct device *d) { return dev_set_name(d, "regulator.%d", 1); }\n'
    )
    virtual = CSource(
        "static DEVICE_ATTR_RW(max_microvolts);\n"
        "static struct attribute *virtual_attrs[] = { &dev_attr_max_microvolts.attr, NULL };\n"
        "ATTRIBUTE_GROUPS(virtual);\n"
        "static struct platform_driver virtual_driver = {\n"
        '\t.driver = { .name = "reg-virt-consumer", .dev_groups = virtual_groups },\n};\n'
    )
    facts = read_facts([core, virtual], "regulator")
    (declaration,) = read_declarations(virtual)[0]
    (folder,) = facts.folders(declaration, "regulator", 1)
    assert folder.template == "/sys/bus/platform/devices/<device>"
    assert "/sys/devices/platform/reg-virt-consumer.0" in folder.probes()
    (declaration,) = read_declarations(core)[0]
    (folder,) = facts.folders(declaration, "regulator", 0)
    assert folder.template == "/sys/class/regulator/<device>"
    assert "/sys/class/regulator/regulator.0" in folder.probes()
