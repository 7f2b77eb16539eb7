"""What one size of one workload produced: scrm's report, every system's times and peak
memory, the peers' answers, the agreement checks, and why a peer was left out."""

from dataclasses import dataclass, field


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
