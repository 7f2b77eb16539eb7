"""The vocabulary of a workload module (see workloads/__init__.py for the list).

A workload module defines:
- `TITLE` and `ABOUT` (markdown: the data and what each system does), and either `BENCH`
  (the race binary under benches/ that runs scrm and exports the data for the peers) or
  `COMMAND` (arguments to this Python that write `scrm.json` into the directory they get);
- `STEPS`: the timed steps, name -> label, in table order;
- `sizes(quick)`: the `Size`s to run;
and optionally (`workloads.load` supplies the defaults of `workloads.DEFAULTS`):
- `MEMORY = False` when the process's peak memory means nothing (it builds);
- `PEERS`: name -> `Peer` (none by default);
- `scrm_times(scrm)`: the race binary's timings by step, milliseconds (by default its
  `times_ms`);
- `check(scrm, peers)`: the `Check`s that the answers agree (peers: name -> result);
- `notes(scrm)`: extra lines for the page (memory per edge, say).
"""

from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass
class Size:
    """One size of a workload: `key` names it for the targets ("10M"), `label` is shown,
    `args` go to the race binary, `runs` is how many timed runs make the median. `peers`
    is false for sizes only scrm runs (the peers would take hours or run out of memory)."""

    key: str
    label: str
    args: list
    runs: int
    peers: bool = True


@dataclass
class Peer:
    """A peer system: `package` is its pip distribution (for versions and the import check),
    `run(directory, scrm, runs)` runs it on the exported data in its own process and returns
    `{"times_ms": {step: ms}, ...answers}`; `skip(scrm)` gives a reason to leave it out of a
    size, or None."""

    package: str
    run: Callable[..., dict]
    skip: Callable[[dict], Optional[str]] = field(default=lambda scrm: None)


@dataclass
class Check:
    """One agreement check between scrm's answers and a peer's."""

    what: str
    ok: bool
    detail: str
