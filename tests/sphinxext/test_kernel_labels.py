"""The kernel's label names, from the examples of its get_abi.py (notes: kernel-tooling.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_helpers import entry, write_tree
from sysabi.reading.parser import parse_tree
from sysabi.sphinxext.kernel_labels import KernelLabels, entry_label, file_label, suffixed


@pytest.mark.parametrize(
    ("what", "label"),
    [
        ("/sys/block/<disk>/queue/rotational", "abi_sys_block_disk_queue_rotational"),
        (
            "/sys/bus/usb/devices/<busnum>-<devnum>:<config num>.<interface num>"
            "/supports_autosuspend",
            "abi_sys_bus_usb_devices_busnum_devnum_config_num_interface_num_supports_autosuspend",
        ),
        ("/sys/class/net/<iface>/address", "abi_sys_class_net_iface_address"),
        (
            "/sys/bus/iio/devices/iio:deviceX/in_voltageY_raw",
            "abi_sys_bus_iio_devices_iio_devicex_in_voltagey_raw",
        ),
        ("/sys/class/rfkill/rfkill[0-9]+/claim", "abi_sys_class_rfkill_rfkill_0_9_claim"),
        ("/proc/<pid>/smaps_rollup", "abi_proc_pid_smaps_rollup"),
        ("/sys/fs/ext4/<disk>/mb_stats  ", "abi_sys_fs_ext4_disk_mb_stats"),
        ("KVM_CAP_X86_USER_SPACE_MSR", "abi_kvm_cap_x86_user_space_msr"),
        ("/sys/é/ü\u0100", "abi_sys_\u0101"),  # Latin-1 is replaced; above it is kept
    ],
)
def test_entry_labels_follow_the_kernels_cleaning(what: str, label: str) -> None:
    assert entry_label(what) == label


def test_file_labels_keep_case() -> None:
    assert file_label("stable/sysfs-block") == "abi_file_stable_sysfs_block"
    assert (
        file_label("obsolete/sysfs-kernel-fadump_enabled")
        == "abi_file_obsolete_sysfs_kernel_fadump_enabled"
    )
    assert (
        file_label("testing/sysfs-devices-platform-ACPI-TAD")
        == "abi_file_testing_sysfs_devices_platform_ACPI_TAD"
    )


def test_duplicates_get_the_kernels_seeded_suffix() -> None:
    taken = {"abi_x", "abi_xo", "abi_xoh"}
    assert suffixed("abi_y", taken) == "abi_y"
    assert suffixed("abi_x", {"abi_x"}) == "abi_xo"
    assert suffixed("abi_x", taken) == "abi_xoHB"  # compared in lower case, as Sphinx does


def test_labels_of_a_tree_are_the_same_whatever_the_order_files_were_read(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "abi",
        {
            "testing/sysfs-kernel-fadump": entry("/sys/kernel/fadump/enabled"),
            "obsolete/sysfs-kernel-fadump_enabled": entry("/sys/kernel/fadump_enabled"),
            "stable/sysfs-a": entry("/sys/a") + entry("/sys/a"),  # twice in one file
        },
    )
    tree, _ = parse_tree(root)
    labels = KernelLabels.of(tree)
    reversed_tree = type(tree)(tree.root, tuple(reversed(tree.files)))
    assert KernelLabels.of(reversed_tree) == labels
    assert labels.entries == {
        ("obsolete/sysfs-kernel-fadump_enabled", 1): "abi_sys_kernel_fadump_enabled",
        ("stable/sysfs-a", 1): "abi_sys_a",
        ("stable/sysfs-a", 8): "abi_sys_ao",
        ("testing/sysfs-kernel-fadump", 1): "abi_sys_kernel_fadump_enabledo",
    }
    assert labels.files["stable/sysfs-a"] == "abi_file_stable_sysfs_a"
