"""Soak test: an API protected by actix-authorize under >= 1,000 connections of valid, invalid
and missing tokens for SECONDS, while its auth service is stopped and restarted mid-run.

Run through bench/soak.sh. Loopback only, bounded in time; exits non-zero if an invalid or
missing token ever got a 2xx, if any 5xx other than 502/503 appeared, or if requests did not
succeed again after the auth service came back.
"""

import http.client
import os
import re
import subprocess
import sys
import threading
import time

BIN = sys.argv[1]
SECONDS = int(os.environ.get("SECONDS_TOTAL", "60"))
CONNECTIONS = int(os.environ.get("CONNECTIONS_PER_CLASS", "350"))
API_PORT, AUTH_PORT = 18300, 18301
AUTH_URL = f"http://127.0.0.1:{AUTH_PORT}/users/me"
HERE = os.path.dirname(os.path.abspath(__file__))


def wait_for_port(port, limit=10.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return True
        except OSError:
            time.sleep(0.02)
    return False


def start_auth():
    process = subprocess.Popen([BIN, "auth", "--port", str(AUTH_PORT)], stdout=subprocess.DEVNULL)
    if not wait_for_port(AUTH_PORT):
        sys.exit("the auth service did not start")
    return process


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    auth = start_auth()
    api = subprocess.Popen([BIN, "api", "--port", str(API_PORT), "--auth", AUTH_URL],
                           stdout=subprocess.DEVNULL)
    if not wait_for_port(API_PORT):
        sys.exit("the API did not start")

    wrks = {}
    for token_class in ["valid", "invalid", "missing"]:
        env = dict(os.environ, TOKEN_CLASS=token_class)
        wrks[token_class] = subprocess.Popen(
            ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "5s",
             "-s", os.path.join(HERE, "statuses.lua"), f"http://127.0.0.1:{API_PORT}"],
            stdout=subprocess.PIPE, text=True, env=env)

    peak_rss = 0
    stop_at, restart_at = SECONDS * 0.35, SECONDS * 0.6
    started = time.monotonic()
    stopped = restarted = None
    recovery = None
    probe = 0
    while time.monotonic() - started < SECONDS:
        now = time.monotonic() - started
        peak_rss = max(peak_rss, rss_kib(api.pid))
        if stopped is None and now >= stop_at:
            auth.kill()
            auth.wait()
            stopped = now
        if stopped is not None and restarted is None and now >= restart_at:
            auth = start_auth()
            restarted = time.monotonic()
        if restarted is not None and recovery is None:
            # A token never seen before, so the answer needs the auth service.
            probe += 1
            connection = http.client.HTTPConnection("127.0.0.1", API_PORT, timeout=5)
            try:
                connection.request("GET", f"/cached/{900000 + probe}",
                                   headers={"Authorization": f"Bearer id-{900000 + probe}"})
                if connection.getresponse().status == 200:
                    recovery = time.monotonic() - restarted
            except OSError:
                pass
            finally:
                connection.close()
        time.sleep(0.01)

    results = {name: process.communicate()[0] for name, process in wrks.items()}
    api.terminate()
    auth.terminate()

    failures = []
    print(f"\nsoak: {SECONDS}s, {3 * CONNECTIONS} connections ({CONNECTIONS} per token class), "
          f"auth service stopped at {stopped:.0f}s and restarted at {restart_at:.0f}s")
    print(f"{'class':<9}{'requests':>10}  statuses")
    for name, output in results.items():
        statuses = {int(s): int(c) for s, c in re.findall(r"status (\d+) (\d+)", output)}
        errors = re.search(r"errors (.*)", output)
        total = sum(statuses.values())
        shown = ", ".join(f"{s}: {c}" for s, c in sorted(statuses.items()))
        print(f"{name:<9}{total:>10}  {shown}  ({errors.group(1) if errors else 'no error line'})")
        if total == 0:
            failures.append(f"{name}: no answers")
        if name != "valid" and any(200 <= s < 300 for s in statuses):
            failures.append(f"{name} tokens got a 2xx")
        bad = {s for s in statuses if s >= 500 and s not in (502, 503)}
        if bad:
            failures.append(f"{name}: unexpected 5xx {sorted(bad)}")
    print(f"first success after the auth service returned: "
          + (f"{recovery * 1000:.0f} ms" if recovery is not None else "never"))
    print(f"peak RSS of the API: {peak_rss / 1024:.1f} MiB")
    if recovery is None:
        failures.append("no success after the auth service returned")
    for failure in failures:
        print("FAILED:", failure)
    sys.exit(1 if failures else 0)


main()
