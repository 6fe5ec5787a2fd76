#!/usr/bin/env python3
"""One client, one keep-alive connection, N sequential GETs: the latency figures the bench
scripts print when oha is not installed (same summary lines as oha's, in seconds).

    scripts/bench-http.py URL N [HEADER ...]     e.g. "Cookie: mtp_session=..."
"""
import http.client
import statistics
import sys
import time
from urllib.parse import urlsplit


def main() -> None:
    url, n, headers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    u = urlsplit(url)
    path = u.path + ("?" + u.query if u.query else "")
    h = {"Accept-Encoding": "br, gzip"}
    for raw in headers:
        k, _, v = raw.partition(":")
        h[k.strip()] = v.strip()
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    times, codes = [], {}
    start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=h)
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t0)
        codes[r.status] = codes.get(r.status, 0) + 1
    total = time.perf_counter() - start
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(round(p * (len(times) - 1))))]
    print(f"  Requests/sec: {n / total:.4f}")
    print(f"  Success rate: {100.0 * codes.get(200, 0) / n:.2f}%")
    for p in (0.5, 0.95, 0.99):
        print(f"  {p * 100:.2f}% in {q(p):.4f} secs")
    print(f"  mean {statistics.mean(times):.4f} secs")
    for code, k in sorted(codes.items()):
        print(f"  [{code}] {k} responses")


if __name__ == "__main__":
    main()
