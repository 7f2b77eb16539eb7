"""Runs one peer on one exported dataset in a process of its own, so its peak memory is its
own: `python -m report.peer WORKLOAD PEER DIRECTORY RUNS` prints the peer's result as JSON."""

import json
import sys
from pathlib import Path

from report.workloads import load


def main() -> None:
    workload, peer, directory, runs = sys.argv[1:5]
    module = load(workload)
    directory = Path(directory)
    scrm = json.loads((directory / "scrm.json").read_text())
    result = module.PEERS[peer].run(directory, scrm, int(runs))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
