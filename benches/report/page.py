"""Writes BENCHMARKS.md: the machine, the targets of every issue, then one table and one
bar chart per workload."""

from pathlib import Path


from report import machine, results as saved
from report.targets import TARGETS
from report.workloads import NAMES, load

CHARTS = Path("docs") / "benchmarks"


def ms(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}" if value >= 1 else f"{value:.3f}"


def mib(value) -> str:
    return "-" if value is None else f"{value / 2**20:,.0f}"


def ratio(r, step: str) -> str:
    best = r.best_peer(step)
    ours = r.ms(step)
    if best is None or ours is None:
        return "-"
    name, theirs = best
    if ours <= theirs:
        return f"{theirs / ours:.1f}x faster than {name}"
    return f"**{ours / theirs:.1f}x slower** than {name}"


def systems(sized: list) -> list:
    names = ["scrm"]
    for r in sized:
        names += [n for n in r.times if n not in names]
        names += [n for n in r.left_out if n not in names]
    return names


def table(workload, sized: list) -> list:
    names = systems(sized)
    lines = [f"| size | step | {' | '.join(names)} | scrm vs the best peer |",
             "| --- | --- |" + " --- |" * (len(names) + 1)]
    for r in sized:
        for step, label in workload.STEPS.items():
            if all(step not in r.times.get(n, {}) for n in names):
                continue
            cells = [ms(r.ms(step, n)) if n in r.times else r.left_out.get(n, "-") for n in names]
            lines.append(f"| {r.size.label} | {label} | {' | '.join(cells)} | {ratio(r, step)} |")
        if workload.MEMORY:
            memory = [mib(r.peak_bytes.get(n)) for n in names]
            lines.append(f"| {r.size.label} | peak memory, MiB | {' | '.join(memory)} | |")
    return lines


def chart(path: Path, workload, sized: list) -> bool:
    """A grouped bar chart (log scale) of every step at every size; False without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = systems(sized)
    groups = [(f"{r.size.key}\n{step}", r, step) for r in sized for step in workload.STEPS
              if any(step in t for t in r.times.values())]
    fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(groups)), 4))
    width = 0.8 / len(names)
    for k, name in enumerate(names):
        xs = [i + (k - (len(names) - 1) / 2) * width for i in range(len(groups))]
        values = [r.ms(step, name) or 0 for _, r, step in groups]
        ax.bar(xs, values, width, label=name)
    ax.set_xticks(range(len(groups)), [label for label, _, _ in groups], fontsize=7)
    ax.set_yscale("log")
    ax.set_ylabel("milliseconds (log scale, lower is better)")
    ax.set_title(workload.TITLE, fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def targets(results: dict) -> list:
    lines = ["| issue | figure | target | measured | met |", "| --- | --- | --- | --- | --- |"]
    for t in TARGETS:
        found = [r for r in results.get(t.workload, []) if r.size.key == t.size]
        if not found:
            lines.append(f"| {t.issue} | {t.figure} | {t.target} | not run (size {t.size} not in this run) | - |")
            continue
        try:
            text, met = t.measure(found[0])
            verdict = "yes" if met else "**no**"
        except (KeyError, TypeError, ZeroDivisionError) as missing:
            text, verdict = f"not measured (no {missing})", "-"
        lines.append(f"| {t.issue} | {t.figure} | {t.target} | {text} | {verdict} |")
    return lines


def saved_path(out: Path, name: str) -> Path:
    """Where a workload's results are kept, beside its chart."""
    return out.parent / CHARTS / f"{name}.json"


def write(out: Path, quick: bool, minutes: float, ran: list) -> None:
    """Writes the page from the saved results of every workload that has some; `ran` names
    the workloads the last run ran, `minutes` how long it took."""
    workloads, results, days = {}, {}, {}
    for name in NAMES:
        found = saved.load(saved_path(out, name))
        if found:
            workloads[name] = load(name)
            days[name], results[name] = found
    packages = sorted({p.package for w in workloads.values() for p in w.PEERS.values()})
    command = "./scripts/bench.sh" + (" --quick" if quick else "")
    when = ", ".join(sorted(set(days.values())))
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` ({'quick run, small sizes' if quick else 'full run'}; the workloads "
        f"ran on {when}; the last run, of {', '.join(ran)}, took {minutes:.0f} min). Every system ran in a process of its own on the same seeded data, "
        "and the answers were checked to agree (the checks are listed under each table). Times are "
        "medians in milliseconds; peak memory is each process's peak resident set (input data and, "
        "for the peers, the Python interpreter included). A peer's cell says why it did not run when "
        "it did not.",
        "",
        *machine.describe(packages),
        "",
        "## Targets of the issues",
        "",
        *targets(results),
    ]
    for name, workload in workloads.items():
        sized = results.get(name, [])
        lines += ["", f"## {workload.TITLE}", "", workload.ABOUT, "",
                  f"Ran on {days[name]}.", "", *table(workload, sized), ""]
        chart_path = CHARTS / f"{name}.png"
        if sized and chart(out.parent / chart_path, workload, sized):
            lines += [f"![{workload.TITLE}]({chart_path.as_posix()})", ""]
        for r in sized:
            notes = workload.notes(r.scrm)
            notes += [f"{peer}: {answer['summary']}." for peer, answer in r.peers.items() if "summary" in answer]
            failed = [c for c in r.checks if not c.ok]
            verdict = f"{len(r.checks)} checks, all agree" if not failed else f"**{len(failed)} of {len(r.checks)} checks FAILED**"
            lines.append(f"- {r.size.label}: {' '.join(notes)} {verdict if r.checks else ''}".rstrip())
            lines += [f"  - {c.what}: {c.detail} ({'ok' if c.ok else 'FAILED'})" for c in r.checks]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
