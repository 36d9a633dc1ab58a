"""Servers under test and wrk against them: start, probe, measure, stop."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk"


@dataclass(frozen=True)
class Scenario:
    name: str
    server: str  # "app" or "reference"
    path: str
    script: str = "get"  # bench/wrk/<script>.lua
    env: dict[str, str] = field(default_factory=dict)  # BENCH_* settings for the script
    connections: int | None = None  # instead of the run's --connections


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    rps: float
    p50_ms: float
    p99_ms: float
    status_errors: int  # non-2xx/3xx responses
    socket_errors: int  # connect, read, write errors and timeouts (10 s)
    statements: str  # from X-SQL-Statements of one probe request ("-" when absent)
    status: int  # of that probe request

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors


def start_server(
    app: str, *, port: int, workers: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    out = log.open("ab")
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
        cwd=HERE.parent,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{app} exited; see {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except urllib.error.HTTPError:
            return process  # it answers; a 404 or 401 is fine here
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"{app} did not answer within 30s; see {log}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (its own process group: the uvicorn supervisor and workers)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def probe(base: str, scenario: Scenario) -> tuple[int, str, str]:
    """One request as wrk would send it: (status, X-SQL-Statements, body)."""
    env = scenario.env
    headers = {"User-Agent": "bench"}
    for key, header in [
        ("BENCH_COOKIE", "Cookie"),
        ("BENCH_CSRF", "X-CSRF-Token"),
        ("BENCH_AUTH", "Authorization"),
    ]:
        if key in env:
            headers[header] = env[key]
    if "BENCH_HX" in env:
        headers["HX-Request"] = "true"
    data = None
    path = scenario.path
    if scenario.script == "post":
        data = (json.dumps({"text": "probe"}) if "BENCH_JSON" in env else "text=probe").encode()
        path = env["BENCH_PATH"]
    elif scenario.script == "like":
        # the probe likes the tweet just past the range wrk will use
        tweet = int(env["BENCH_MAX"]) + 1
        data = json.dumps({"tweet_id": tweet}).encode() if "BENCH_JSON" in env else b""
        path = env["BENCH_PATH"].replace("{id}", str(tweet))
    if data is not None:
        headers["Content-Type"] = (
            "application/json" if "BENCH_JSON" in env else ("application/x-www-form-urlencoded")
        )
    request = urllib.request.Request(base + path, data=data, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return (
                response.status,
                response.headers.get("X-SQL-Statements", "-"),
                response.read().decode(),
            )
    except urllib.error.HTTPError as error:
        return (
            error.code,
            error.headers.get("X-SQL-Statements", "-"),
            error.read().decode(errors="replace"),
        )


@dataclass(frozen=True)
class Load:
    """How wrk drives a scenario: `rounds` measured runs after one warm-up run."""

    seconds: int
    warmup: int
    rounds: int
    connections: int
    threads: int


def warm_up(base: str, scenario: Scenario, load: Load) -> tuple[int, str]:
    """Probe once (status, SQL statements), then run wrk untimed for `load.warmup` seconds."""
    status, statements, _body = probe(base, scenario)
    if load.warmup:
        _wrk(base, scenario, load, seconds=load.warmup, part=0)
    return status, statements


def one_round(base: str, scenario: Scenario, load: Load, round_number: int) -> dict[str, int]:
    return _wrk(base, scenario, load, seconds=load.seconds, part=round_number)


def combine(scenario: Scenario, probed: tuple[int, str], rounds: list[dict[str, int]]) -> Result:
    """The median round's figures (each figure's median), and every error of every round."""
    return Result(
        scenario,
        rps=median(r["requests"] / (r["duration_us"] / 1e6) for r in rounds),
        p50_ms=median(r["p50_us"] for r in rounds) / 1000,
        p99_ms=median(r["p99_us"] for r in rounds) / 1000,
        status_errors=sum(r["status_errors"] for r in rounds),
        socket_errors=sum(r["socket_errors"] for r in rounds),
        statements=probed[1],
        status=probed[0],
    )


def _wrk(base: str, scenario: Scenario, load: Load, *, seconds: int, part: int) -> dict[str, int]:
    env = {**os.environ, **scenario.env, "BENCH_LUA_DIR": str(LUA)}
    connections = scenario.connections or load.connections
    threads = min(load.threads, connections)
    env["BENCH_THREADS"] = str(threads)
    if scenario.script == "like":  # each run likes its own slice of the tweets: no repeats
        low, high = int(env["BENCH_MIN"]), int(env["BENCH_MAX"])
        size = (high - low + 1) // (load.rounds + 1)
        env["BENCH_MIN"], env["BENCH_MAX"] = (
            str(low + part * size),
            str(low + (part + 1) * size - 1),
        )
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / f"{scenario.script}.lua"),
        base + scenario.path,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    match = re.search(r"^BENCH (\{.*\})$", done.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk gave no result for {scenario.name}:\n{done.stdout}{done.stderr}")
    stats: dict[str, int] = json.loads(match.group(1))
    return stats
