#!/usr/bin/env python3
"""Azurite SIGKILL under load: how many acknowledged evaluations survive?

Starts the silo host (embedded Azurite, on-disk data), posts evaluations of distinct models from 4 threads, SIGKILLs
Azurite KILL_AT seconds in (the host's supervisor restarts it), keeps posting, stops the host (SIGTERM), starts it again
on the same data and reads back every acknowledged model. Prints acknowledged vs lost, the age of the lost
acknowledgements at the kill, the restart time and the latency of the answers during the outage.
Usage: python3 tools/bench/azurite_sigkill.py [SILO_DLL]
"""
import json, os, signal, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error, uuid, re

DLL = sys.argv[1] if len(sys.argv) > 1 else "src/OrleansScaling.Silo/bin/Debug/net10.0/OrleansScaling.Silo.dll"
DATA = tempfile.mkdtemp(prefix="osl-sigkill-")
PORT, KILL_AT, RUN_FOR = 5391, 8.0, 25.0


def start():
    p = subprocess.Popen(["dotnet", DLL, "--urls", f"http://127.0.0.1:{PORT}", "--LocalStorage:DataDirectory", DATA,
                          "--Orleans:Endpoints:SiloPort", "11391", "--Orleans:Endpoints:GatewayPort", "30391"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    threading.Thread(target=lambda: [log.append(l) for l in p.stdout], daemon=True).start()
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/ready", timeout=2).status == 200:
                return p, log
        except Exception:
            time.sleep(0.5)
    raise SystemExit("host did not start:\n" + "".join(log))


def post(model):
    body = json.dumps({"modelId": model, "family": "F", "parameters": 7e9, "tokens": 2e12, "benchmark": "gsm8k",
                       "metric": "acc", "score": 0.5, "runId": "r"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/evaluations", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, None
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Retry-After")
    except Exception as e:
        return 0, str(e)


host, log = start()
pid = int(open(os.path.join(DATA, "azurite.pid")).read())
t0 = time.time()
acks, answers, lock, kill_time = [], [], threading.Lock(), [None]


def worker(n):
    i = 0
    while time.time() - t0 < RUN_FOR:
        model = f"m{n}-{i}-{uuid.uuid4().hex[:6]}"
        sent = time.time()
        status, extra = post(model)
        done = time.time()
        with lock:
            answers.append((sent - t0, done - sent, status, extra))
            if status == 201:
                acks.append((model, done - t0))
        i += 1


threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
[t.start() for t in threads]
time.sleep(KILL_AT)
os.kill(pid, signal.SIGKILL)
kill_time[0] = time.time() - t0
[t.join() for t in threads]
restart_line = next((l for l in log if "restarted (pid" in l or "Local Azure Storage restarted" in l), "")
host.send_signal(signal.SIGTERM); host.wait(90)

host, _ = start()
lost = []
for model, acked in acks:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/models/{model}", timeout=30)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            lost.append(acked)
host.send_signal(signal.SIGTERM); host.wait(90)

k = kill_time[0]
before = [a for _, a in acks if a <= k]
during = [a for a in answers if a[0] <= k + 1 <= a[0] + a[1] or k <= a[0] <= k + 15]
print(f"kill at {k:.2f} s; acknowledged {len(acks)} ({len(before)} before the kill); lost {len(lost)}")
if lost:
    print(f"lost acknowledgements were {min(k - a for a in lost):.2f} .. {max(k - a for a in lost):.2f} s old at the kill"
          f" (negative: acknowledged after the kill)")
print("lost, acknowledged at (s after the kill):", " ".join(f"{a - k:+.2f}" for a in sorted(lost)))
print("acknowledged after the kill:", sum(1 for _, a in acks if a > k), "; first at", min((f"{a - k:+.2f}" for _, a in acks if a > k), default="-"))
print("statuses:", {s: sum(1 for a in answers if a[2] == s) for s in sorted({a[2] for a in answers})})
print("answers sent within 15 s after the kill: " + ", ".join(f"{a[2]}/{a[1]:.2f}s" for a in answers if k <= a[0] <= k + 15)[:1500])
print("supervisor:", restart_line.strip())
