"""The bindings' own figures (issues 7, 8, 9): ingest from the host language, a trivial call,
and for Python a 1,000,000-member segment as a pandas DataFrame. scrm only (the peers have
no bindings to compare); run by the full report, not by `--quick` (each binding builds in
release first, several minutes)."""

from report.workload import Size

TITLE = "Bindings: Python, Node.js, Kotlin (scrm only)"
COMMAND = ["-m", "report.bindings"]
MEMORY = False
ABOUT = """Each binding is built in release and runs its benchmark: `bindings/python/bench.py`,
`bindings/node/bench.mjs`, `bindings/ffi/bench.sh` (Kotlin on the JVM through JNA). Ingest
records 1,000,000 events from the host language's own data: Python one view for each of
1,000,000 customers from a pandas DataFrame (`record_events_frame`), Node a JavaScript array
of event objects and Kotlin a list of records, both for 100,000 existing customers in
batches. The trivial call is `contains`. The Python segment is every one of the 1,000,000
customers (tagged `vip`) fetched and turned into a pandas DataFrame. The figures and their
targets are in the table at the top; times here are in milliseconds."""
STEPS = {
    "python_ingest": "Python: ingest 1,000,000 events from a pandas DataFrame",
    "python_segment": "Python: a 1,000,000-member segment as a pandas DataFrame",
    "node_ingest": "Node: ingest 1,000,000 events from a JS array",
    "kotlin_ingest": "Kotlin: ingest 1,000,000 events",
}
EVENTS = 1_000_000


def sizes(quick: bool) -> list:
    return [] if quick else [Size("1M", "1,000,000 events", [], 1)]


def scrm_times(scrm: dict) -> dict:
    """The steps each binding measured (one that failed has none)."""
    times = {}
    for binding in ("python", "node", "kotlin"):
        if "events_per_s" in scrm[binding]:
            times[f"{binding}_ingest"] = EVENTS / scrm[binding]["events_per_s"] * 1e3
    if "segment_to_pandas_ms" in scrm["python"]:
        times["python_segment"] = scrm["python"]["segment_to_pandas_ms"]
    return times


def notes(scrm: dict) -> list:
    lines = []
    for binding in ("python", "node", "kotlin"):
        figures = scrm[binding]
        if "error" in figures:
            lines.append(f"{binding}: not measured ({figures['error']}).")
        else:
            lines.append(f"{binding}: a trivial call takes {figures['per_call_us']:.2f} µs.")
    if "library_bytes" in scrm["kotlin"]:
        lines.append(f"`libscrm_ffi.so`, release, stripped: {scrm['kotlin']['library_bytes'] / 1e6:.2f} MB.")
    return lines
