"""The results table and an honest reading of the issue's targets."""

from collections.abc import Iterable

from bench.drive import Result

# Rows whose latency must not grow with the table (1M within 1.2x of 10k).
FLAT = ("home, typical user", "home, follows only inactive", "page 50 by cursor")
HOME = "home, typical user"
# Suffix of the same rows measured with one connection (bench/main.py).
UNLOADED = ", 1 connection"
# Issue 18: the follow-shape rows are judged against this one; the star's post row alone.
SHAPE_BASE = "home, follows 10, half active"
STAR_POST = "post a tweet, 5,000 followers, 1 connection"


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


def feed_targets(rows: list[Result]) -> str:
    """Issue 18: every follow shape at least 0.8x the 10-follow row's req/s, at most 3
    statements a page; posting as the 5,000-follower account under 50 ms p99."""
    by = {r.scenario.name: r for r in rows}
    base = by.get(SHAPE_BASE)
    lines = []
    for r in rows:
        if base and r.scenario.name.startswith(("home, follows", "home page 50, follows")):
            ratio = r.rps / base.rps
            statements = int(r.statements) if r.statements.isdigit() else 99
            ok = ratio >= 0.8 and statements <= 3 and not r.errors
            lines.append(
                _line(
                    ok,
                    f"{r.scenario.name}: {ratio:.2f}x the 10-follow row (>= 0.8), "
                    f"{r.statements} SQL (<= 3), {r.errors} errors",
                )
            )
    star = by.get(STAR_POST)
    if star:
        lines.append(_line(star.p99_ms < 50 and not star.errors,
                           f"{STAR_POST}: p99 {star.p99_ms:.1f} ms (< 50)"))  # fmt: skip
    return "\n".join(lines)
