"""Home page against the reference page, alternately, on one worker each: the ratio issue 13 keeps.

    bench/ratio [--db chirp_bench_10k] [--rounds 8] [--seconds 4]

bench/run's req/s rows for the two pages are measured a few seconds apart, once; on a shared
machine whose speed drifts by 10-25% within minutes, their ratio moves with it. Here the two
servers run side by side and wrk alternates between them, round after round, at 8 connections;
each round gives both pages' req/s and CPU per request (the server's and PostgreSQL's, as
bench/cpu), and the ratios' median is printed with their range.
"""

import argparse
import statistics

from bench import dataset
from bench.cpu import cpu_seconds, drive, log_file, postgres_seconds, server_env
from bench.drive import start_server, stop_server
from webapp.db import make_engine


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/ratio")
    parser.add_argument("--db", default="chirp_bench_10k")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=4)
    args = parser.parse_args()
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    engine = make_engine(url)
    cookie = dataset.session_cookie(engine, dataset.actors(engine).typical)
    engine.dispose()
    env = server_env(url)
    log = log_file("ratio.log")
    pages = {
        "home": (start_server("webapp.main:app", port=8893, workers=1, env=env, log=log), 8893),
        "reference": (
            start_server("bench.reference:app", port=8894, workers=1, env=env, log=log),
            8894,
        ),
    }
    headers = {"home": {"BENCH_COOKIE": cookie}, "reference": {}}
    rates: list[float] = []
    cpus: list[float] = []
    try:
        for name, (_, port) in pages.items():
            drive(f"http://127.0.0.1:{port}", "/", headers[name], 1)  # warm up
        print(f"{'round':>5} {'home req/s':>10} {'ref req/s':>10} {'req/s ratio':>11} "
              f"{'home CPU ms':>11} {'ref CPU ms':>10} {'CPU ratio':>9}")  # fmt: skip
        for round_ in range(1, args.rounds + 1):
            seen: dict[str, tuple[float, float]] = {}
            for name, (process, port) in pages.items():
                before, database = cpu_seconds(process.pid), postgres_seconds()
                done = drive(f"http://127.0.0.1:{port}", "/", headers[name], args.seconds)
                used = cpu_seconds(process.pid) - before + postgres_seconds() - database
                seen[name] = (done / args.seconds, 1000 * used / done)
            (home_rate, home_cpu), (ref_rate, ref_cpu) = seen["home"], seen["reference"]
            rates.append(home_rate / ref_rate)
            cpus.append(ref_cpu / home_cpu)
            print(f"{round_:>5} {home_rate:>10.0f} {ref_rate:>10.0f} {rates[-1]:>10.2f}x "
                  f"{home_cpu:>11.2f} {ref_cpu:>10.2f} {cpus[-1]:>8.2f}x")  # fmt: skip
    finally:
        for process, _ in pages.values():
            stop_server(process)
    spread = {
        name: f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"
        for name, values in (("req/s", rates), ("CPU", cpus))
    }
    print(f"home / reference, median of {args.rounds} rounds: req/s {spread['req/s']}, "
          f"CPU {spread['CPU']}")  # fmt: skip


if __name__ == "__main__":
    main()
