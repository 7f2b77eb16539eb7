"""The binding figures of issues 7, 8 and 9, for the `bindings` workload: builds each binding
in release and runs its benchmark, then prints one JSON object with every figure:
`python -m report.bindings DIRECTORY` (writes DIRECTORY/scrm.json too).

- Python: `pip install ./bindings/python` into this interpreter's environment, then
  `bindings/python/bench.py` (its last output line is JSON);
- Node: `npm ci` and `npm run build` in bindings/node, then `node bench.mjs` (JSON last);
- Kotlin: `bindings/ffi/bench.sh` (per-call and ingest lines, parsed), and the size of the
  stripped `libscrm_ffi.so` of the `mobile` profile (the release build that ships).
A binding whose build or benchmark fails gets `{"error": ...}` and the others still run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sh(command: list, cwd: Path, env=None) -> str:
    """Runs a command, its output on stderr for the log; returns its standard output."""
    done = subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.PIPE, text=True,
                          env={**os.environ, **(env or {})})
    return done.stdout


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def python_figures() -> dict:
    here = ROOT / "bindings" / "python"
    if not (here / "bench.py").exists():
        raise FileNotFoundError("bindings/python/bench.py is not written yet")
    sh([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(here)], ROOT)
    return last_json(sh([sys.executable, str(here / "bench.py")], here))


def node_figures() -> dict:
    here = ROOT / "bindings" / "node"
    sh(["npm", "ci", "--no-audit", "--no-fund"], here)
    sh(["npm", "run", "build"], here)
    return last_json(sh(["node", "bench.mjs"], here))


def kotlin_figures() -> dict:
    here = ROOT / "bindings" / "ffi"
    out = sh([str(here / "bench.sh")], here, env={"SCRM_BENCH_NO_RUST": "1"})
    call = re.search(r'engine\.contains\("x"\)\s+median\s+([\d.]+) ns/call wall', out)
    ingest = re.search(r"recordEvents\(List<EventInput>\)\s+[\d.]+ s wall\s+([\d,]+) events/s", out)
    if not call or not ingest:
        raise SystemExit(f"bindings/ffi/bench.sh printed no figures:\n{out}")
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "libscrm_ffi.so"
        shutil.copy(target / "mobile" / "libscrm_ffi.so", copy)
        sh(["strip", str(copy)], ROOT)
        size = copy.stat().st_size
    return {"per_call_us": float(call.group(1)) / 1e3,
            "events_per_s": float(ingest.group(1).replace(",", "")),
            "library_bytes": size}


def main() -> None:
    directory = Path(sys.argv[1])
    figures = {}
    for name, measure in [("python", python_figures), ("node", node_figures), ("kotlin", kotlin_figures)]:
        try:
            figures[name] = measure()
        except (OSError, ValueError, KeyError, subprocess.CalledProcessError, SystemExit) as error:
            print(f"{name}: {error}", file=sys.stderr)
            figures[name] = {"error": str(error)[-300:]}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "scrm.json").write_text(json.dumps(figures))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
