#!/usr/bin/env python3
"""The demo's metrics: request counters for the checkout canary and its stable baseline, in Prometheus' text format.

The canary's share of 5xx answers is about 1% while the regression file says "off" and about 20% while it says "on"
(local-cluster.sh regress on|off), so a presenter can make the canary's analysis fail on demand.
"""
import argparse
import http.server
import random
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--regression-file", required=True)
args = parser.parse_args()

lock = threading.Lock()
counts = {}  # (track, code) -> requests served


def regressed():
    try:
        with open(args.regression_file) as f:
            return f.read().strip() == "on"
    except OSError:
        return False


def traffic():
    """Ten ticks a second: stable serves 40 requests a tick, the canary 10, each failing at its own ratio."""
    while True:
        bad = regressed()
        with lock:
            for track, rate, error_ratio in (("stable", 40, 0.01), ("canary", 10, 0.20 if bad else 0.01)):
                errors = sum(1 for _ in range(rate) if random.random() < error_ratio)
                counts[(track, "200")] = counts.get((track, "200"), 0) + rate - errors
                counts[(track, "500")] = counts.get((track, "500"), 0) + errors
        time.sleep(0.1)


class Metrics(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/metrics":
            self.send_error(404, "only /metrics is served")
            return
        lines = ["# HELP demo_http_requests_total Requests served by the demo checkout service.",
                 "# TYPE demo_http_requests_total counter"]
        with lock:
            for (track, code), n in sorted(counts.items()):
                lines.append(f'demo_http_requests_total{{app="checkout",track="{track}",code="{code}"}} {n}')
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


threading.Thread(target=traffic, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Metrics).serve_forever()
