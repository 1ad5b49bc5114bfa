"""Server memory over repeats of the abuse corpus (not CI: minutes long).

Starts ``huayin serve`` on a free loopback port with the limits the corpus test uses, sends the
whole abuse corpus (tests/abuse/corpus.py) ``--passes`` times in a row and samples the server's
RSS after every pass. The first pass loads what the corpus touches once (voices,
the reference-clip analysers, allocator pools); a leak shows as growth on every later pass, so
the figure that matters is the slope over passes 2..N.

    .venv/bin/python bench/corpus_rss.py [--passes 5] [--json out.json] [--plot rss.png]
"""

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "abuse"))
from corpus import http_cases  # noqa: E402
from server_process import free_port, rss_mb, start_server  # noqa: E402

#: The corpus test's limits (tests/abuse/test_corpus.py), so every case means what it says there.
MAX_UPLOAD = 256 * 1024
SERVER_ENV = {"HUAYIN_MAX_TEXT_CHARS": "500", "HUAYIN_MAX_UPLOAD_BYTES": str(MAX_UPLOAD)}


def one_pass(base: str, cases: list) -> Counter:
    """Send every case once, in order; count status classes."""
    outcomes: Counter = Counter()
    with httpx.Client(base_url=base, timeout=120) as client:
        for case in cases:
            try:
                status = client.request(case.method, case.path, content=case.content,
                                        headers=case.headers, data=case.data,
                                        files=case.files).status_code
                outcomes[f"{status // 100}xx"] += 1
            except httpx.HTTPError as error:  # a transport failure is a finding, not a crash
                outcomes[f"failed:{type(error).__name__}"] += 1
    return outcomes


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (x, y) points."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return (sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
            / max(1e-9, sum((x - mean_x) ** 2 for x in xs)))


def plot(report: dict, path: str) -> None:
    """RSS after each pass (pass 0: the idle server before the corpus)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 3.2))
    axes.plot([0] + [entry["pass"] for entry in report["passes"]],
              [report["rss_start_mb"]] + [entry["rss_mb"] for entry in report["passes"]],
              marker=".", color="tab:blue")
    axes.set_xlabel("passes of the corpus")
    axes.set_ylabel("server RSS (MB)")
    axes.set_ylim(bottom=0)
    axes.set_title(f"huayin serve: RSS over {len(report['passes'])} passes of the abuse corpus "
                   f"({report['cases']} requests each)", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--plot", help="draw RSS over time with the pass ends (needs matplotlib)")
    args = parser.parse_args()
    cases = http_cases(MAX_UPLOAD)
    port = free_port()
    process, _ = start_server(port, SERVER_ENV)
    base = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    passes = []
    try:
        start_rss = rss_mb(process.pid)
        for number in range(1, args.passes + 1):
            outcomes = one_pass(base, cases)
            passes.append({"pass": number, "seconds": round(time.perf_counter() - began),
                           "rss_mb": round(rss_mb(process.pid), 1), **outcomes})
            print(json.dumps(passes[-1]), flush=True)
        healthy = httpx.get(f"{base}/health", timeout=10).json().get("status") == "ok"
    finally:
        process.terminate()
        process.wait(timeout=60)
    later = [(p["pass"], p["rss_mb"]) for p in passes[1:]]
    report = {
        "cases": len(cases), "passes": passes, "rss_start_mb": round(start_rss, 1),
        "first_pass_growth_mb": round(passes[0]["rss_mb"] - start_rss, 1),
        "growth_per_later_pass_mb": round(slope(later), 2) if len(later) > 1 else None,
        "later_passes_span_mb": round(max(m for _, m in later) - min(m for _, m in later), 1)
        if later else None,
        "healthy_after": healthy,
    }
    print(json.dumps(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report))
    if args.plot:
        plot(report, args.plot)
    total_5xx = sum(p.get("5xx", 0) for p in passes)
    return 0 if total_5xx == 0 and healthy else 1


if __name__ == "__main__":
    sys.exit(main())
