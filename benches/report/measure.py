"""Runs one system in a process of its own and reads back its result and peak memory."""

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Run:
    """What one process printed, its peak resident memory in bytes and its wall time in
    seconds."""

    output: str
    peak_bytes: int
    seconds: float


class Failed(Exception):
    """A process exited with an error; the message holds its last lines of output."""


def run(command: list, cwd=None) -> Run:
    """Runs `command`, waits for it with `wait4` to read its peak RSS (ru_maxrss, the
    largest of the process and the children it waited for), and keeps its standard
    output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        output = out.read().decode()
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().decode().strip().splitlines()[-15:]
            raise Failed(f"{' '.join(map(str, command))} exited with {process.returncode}:\n" + "\n".join(tail))
    return Run(output, usage.ru_maxrss * 1024, seconds)


def median_ms(runs: int, f):
    """Median wall time of `runs` calls of `f` (at least one) in milliseconds, and the last
    call's result."""
    times, result = [], None
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        result = f()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), result


def each(runs: int, steps: dict):
    """`median_ms` of every step of `steps` (name -> function): the medians and the last
    results, as two dicts by name."""
    times, results = {}, {}
    for name, step in steps.items():
        times[name], results[name] = median_ms(runs, step)
    return times, results
