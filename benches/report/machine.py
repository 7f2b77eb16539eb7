"""What the report ran on: the machine, the toolchain and every peer's version."""

import os
import platform
import subprocess
from importlib import metadata


def cpu() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gib() -> str:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def rustc() -> str:
    return subprocess.run(["rustc", "-V"], capture_output=True, text=True).stdout.strip()


def describe(packages: list) -> list:
    """Lines for the page: machine, OS, toolchain, versions."""
    return [
        f"- Machine: {cpu()}, {os.cpu_count()} cores, {memory_gib()} memory",
        f"- OS: {platform.system()} {platform.release()}",
        f"- scrm: release build with `{rustc()}`; Python {platform.python_version()}",
        "- Peers: " + ", ".join(f"{p} {version(p)}" for p in packages),
    ]
