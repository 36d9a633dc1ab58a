"""The results table and an honest reading of the issue's targets."""

from collections.abc import Iterable

from bench.drive import Result

# Rows whose latency must not grow with the table (1M within 1.2x of 10k).
FLAT = ("home, typical user", "home, follows only inactive", "page 50 by cursor")
HOME = "home, typical user"
# Suffix of the same rows measured with one connection (bench/main.py).
UNLOADED = ", 1 connection"


def table(results: dict[str, list[Result]]) -> str:
    lines = [
        "| data set | scenario | req/s | p50 ms | p99 ms | p99/p50 | errors | SQL/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, rows in results.items():
        for r in rows:
            lines.append(
                f"| {size} | {r.scenario.name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
                f"| {r.p99_ms / max(r.p50_ms, 0.001):.1f} | {_errors(r)} | {r.statements} |"
            )
    return "\n".join(lines)


def _errors(r: Result) -> str:
    if not r.errors:
        return "0"
    return ", ".join(
        f"{n} {kind}" for n, kind in [(r.status_errors, "status"), (r.socket_errors, "socket")] if n
    )


def targets(results: dict[str, list[Result]]) -> str:
    """One line per target: PASS or MISS, with the numbers behind it."""
    sizes = list(results)
    small, large = sizes[0], sizes[-1]
    by = {size: {r.scenario.name: r for r in rows} for size, rows in results.items()}
    lines = []
    for size in results:
        home, ref = by[size].get(HOME), by[size].get("reference page")
        if home and ref:
            ratio = home.rps / ref.rps
            lines.append(
                _line(ratio >= 0.25, f"{size}: home req/s {ratio:.2f}x the reference (>= 0.25)")
            )
    for name in [*FLAT, *(f"{name}{UNLOADED}" for name in FLAT)]:
        a, b = by[small].get(name), by[large].get(name)
        if a and b:
            p50, p99 = b.p50_ms / a.p50_ms, b.p99_ms / a.p99_ms
            ok = p50 <= 1.2 and p99 <= 1.2
            lines.append(
                _line(ok, f"{name}: {large} vs {small} p50 {p50:.2f}x, p99 {p99:.2f}x (<= 1.2)")
            )
    every = [(size, r) for size, rows in results.items() for r in rows]
    lines.extend(_tails([(s, r) for s, r in every if r.scenario.server == "app"]))
    lines.extend(
        f"- NOTE: {size} reference page (not the app): p99/p50 {r.p99_ms / r.p50_ms:.1f}"
        for size, r in every
        if r.scenario.server == "reference" and r.p99_ms >= 3 * r.p50_ms
    )
    return "\n".join(lines)


def _tails(rows: Iterable[tuple[str, Result]]) -> list[str]:
    bad = [(s, r) for s, r in rows if r.p99_ms >= 3 * r.p50_ms or r.errors or r.status >= 400]
    if not bad:
        return [_line(True, "every app row: p99 < 3x p50, zero errors")]
    return [
        _line(
            False,
            f"{size} {r.scenario.name}: p99/p50 {r.p99_ms / r.p50_ms:.1f}, "
            f"{r.errors} errors, probe status {r.status}",
        )
        for size, r in bad
    ]


def _line(ok: bool, text: str) -> str:
    return f"- {'PASS' if ok else 'MISS'}: {text}"
