"""Runs the benchmark report: `python -m report [--quick] [--only W,...] --out PAGE` from
benches/ (scripts/bench.sh does it in benches/.venv). Every system runs in a process of its
own on data the race binary exported. Each workload's results are saved as JSON beside the
charts, and the page is written from every saved workload, so `--only` reruns some and keeps
the rest. The page is written even when a check fails; the exit status is 1 if any answer
disagreed or a system failed."""

import argparse
import datetime
import json
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

from report import measure, page, results as saved
from report.results import SizeResult
from report.workloads import NAMES, load

BENCHES = Path(__file__).resolve().parent.parent
ROOT = BENCHES.parent


def binaries(names: list) -> dict:
    """Builds the race binaries and returns their paths by name. They are built as
    `cargo test --release --benches` builds them (the test command's step, so nothing is
    built twice): the release profile, the same code as `cargo bench` without debug info."""
    if not names:
        return {}
    command = ["cargo", "test", "--release", "--no-run", "-q", "--message-format=json", "-p", "scrm"]
    for name in names:
        command += ["--bench", name]
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    paths = {}
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            paths[message["target"]["name"]] = message["executable"]
    return paths


def run_size(workload, size, binary: str, scratch: Path) -> SizeResult:
    directory = scratch / workload.__name__.rsplit(".", 1)[1] / size.key.replace(" ", "_")
    print(f"  {size.label}: scrm", end="", flush=True)
    if binary:
        command = [binary, *size.args, "--runs", str(size.runs), "--out", str(directory)]
    else:
        command = [sys.executable, *workload.COMMAND, str(directory)]
    ran = measure.run(command, cwd=BENCHES)
    scrm = json.loads((directory / "scrm.json").read_text())
    result = SizeResult(size, scrm, times={"scrm": workload.scrm_times(scrm)}, peak_bytes={"scrm": ran.peak_bytes})
    for name, peer in workload.PEERS.items():
        reason = ("not run at this size" if not size.peers
                  else "not installed" if find_spec(peer.package.replace("-", "_")) is None
                  else peer.skip(scrm))
        if reason:
            result.left_out[name] = reason
            continue
        print(f", {name}", end="", flush=True)
        command = [sys.executable, "-m", "report.peer", workload.__name__.rsplit(".", 1)[1], name,
                   str(directory), str(size.runs)]
        try:
            ran = measure.run(command, cwd=BENCHES)
        except measure.Failed as failed:
            result.left_out[name] = "failed"
            print(f"\n{failed}", file=sys.stderr)
            continue
        answer = json.loads(ran.output.strip().splitlines()[-1])
        result.peers[name] = answer
        result.times[name] = answer["times_ms"]
        result.peak_bytes[name] = ran.peak_bytes
    result.checks = workload.check(scrm, result.peers)
    shutil.rmtree(directory, ignore_errors=True)
    print()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="report", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one pass (the test command)")
    parser.add_argument("--only", help="comma-separated workloads, of: " + ", ".join(NAMES))
    parser.add_argument("--out", required=True, type=Path, help="the page to write (charts go beside it)")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else NAMES
    unknown = set(names) - set(NAMES)
    if unknown:
        parser.error(f"unknown workloads {sorted(unknown)}; known: {', '.join(NAMES)}")
    workloads = [load(name) for name in names]
    started = time.time()
    paths = binaries(sorted({w.BENCH for w in workloads if hasattr(w, "BENCH")}))
    today = datetime.date.today().isoformat()
    results, failed = {}, False
    with tempfile.TemporaryDirectory(prefix="scrm-bench-") as scratch:
        for name, workload in zip(names, workloads):
            print(f"{workload.TITLE}")
            results[name] = []
            sizes = workload.sizes(args.quick)
            for size in sizes:
                try:
                    binary = paths.get(getattr(workload, "BENCH", None))
                    results[name].append(run_size(workload, size, binary, Path(scratch)))
                except measure.Failed as error:
                    print(f"\n{error}", file=sys.stderr)
                    failed = True
            if sizes:  # a workload with nothing to run keeps what an earlier run saved
                saved.save(page.saved_path(args.out, name), today, results[name])
    page.write(args.out, quick=args.quick, minutes=(time.time() - started) / 60, ran=names)
    for name, sized in results.items():
        for r in sized:
            for c in r.checks:
                if not c.ok:
                    print(f"MISMATCH in {name} at {r.size.label}: {c.what}: {c.detail}", file=sys.stderr)
                    failed = True
            for peer, why in r.left_out.items():
                if why == "failed":
                    failed = True
    print(f"wrote {args.out}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
