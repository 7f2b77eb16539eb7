"""What one size of one workload produced: scrm's report, every system's times and peak
memory, the peers' answers, the agreement checks, and why a peer was left out."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from report.workload import Check, Size


@dataclass
class SizeResult:
    """`times[system][step]` in milliseconds and `peak_bytes[system]`, scrm included;
    `peers[name]` is a peer's answer, `left_out[name]` why a peer did not run."""

    size: object
    scrm: dict
    times: dict = field(default_factory=dict)
    peak_bytes: dict = field(default_factory=dict)
    peers: dict = field(default_factory=dict)
    left_out: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)

    def ms(self, step: str, system: str = "scrm"):
        """A system's time for a step, or None."""
        return self.times.get(system, {}).get(step)

    def best_peer(self, step: str):
        """(name, ms) of the fastest peer at a step, or None."""
        timed = [(name, t[step]) for name, t in self.times.items() if name != "scrm" and step in t]
        return min(timed, key=lambda pair: pair[1]) if timed else None


def save(path: Path, ran_on: str, sized: list) -> None:
    """Writes one workload's results (and the day they ran) as JSON, so that a later
    `--only` run of other workloads can still put them on the page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"ran_on": ran_on, "sizes": [asdict(r) for r in sized]}, indent=1) + "\n")


def load(path: Path):
    """(day, results) saved by `save`, or None when there is no file."""
    if not path.exists():
        return None
    saved = json.loads(path.read_text())
    sized = []
    for r in saved["sizes"]:
        r["size"] = Size(**r["size"])
        r["checks"] = [Check(**c) for c in r["checks"]]
        sized.append(SizeResult(**r))
    return saved["ran_on"], sized
