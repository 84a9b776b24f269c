"""`make bench`: run every component benchmark, print one table, write it as JSON and a PNG chart.

Each benchmark script is run as its own process and prints a JSON object as its last line; nested
objects are flattened into dotted metric names.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS = ("tap", "loader", "transform", "pipeline", "ai_enrich")
RESULTS_DIR = Path("bench/results")
TIMEOUT_SECONDS = 400


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Flatten nested dicts into {"a.b": leaf}."""
    if isinstance(value, dict):
        flat: dict[str, object] = {}
        for key, inner in value.items():
            flat.update(flatten(inner, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): value}


def run_one(name: str) -> dict[str, object]:
    """Run bench/<name>.py and return its flattened JSON result, or an error entry."""
    script = Path("bench") / f"{name}.py"
    if not script.exists():
        return {"error": "no benchmark yet"}
    started = time.monotonic()
    try:
        completed = subprocess.run(  # noqa: S603
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT_SECONDS} s"}
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if completed.returncode != 0 or not lines:
        tail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {completed.returncode}: {tail}"}
    result = flatten(json.loads(lines[-1]))
    result["bench_seconds"] = round(time.monotonic() - started, 1)
    return result


def write_chart(results: dict[str, dict[str, object]], path: Path) -> None:
    """Draw the numeric metrics of each component as horizontal bars, one panel per component."""
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    panels = {
        name: {k: float(v) for k, v in metrics.items() if isinstance(v, int | float)}
        for name, metrics in results.items()
    }
    panels = {name: values for name, values in panels.items() if values}
    if not panels:
        return
    figure, axes = plt.subplots(len(panels), 1, figsize=(9, 2.2 * len(panels)), squeeze=False)
    for axis, (name, values) in zip(axes[:, 0], panels.items(), strict=True):
        axis.barh(list(values), list(values.values()))
        axis.set_title(name)
        axis.set_xscale("symlog")
    figure.tight_layout()
    figure.savefig(path, dpi=80)


def main() -> int:
    """Run all benchmarks, print the table, write bench/results/bench.{json,png}."""
    results = {name: run_one(name) for name in BENCHMARKS}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    write_chart(results, RESULTS_DIR / "bench.png")
    width = max(len(f"{c}.{m}") for c, ms in results.items() for m in ms)
    print(f"{'metric'.ljust(width)}  value")
    for component, metrics in results.items():
        for metric, value in metrics.items():
            print(f"{f'{component}.{metric}'.ljust(width)}  {value}")
    print(f"written: {RESULTS_DIR}/bench.json, {RESULTS_DIR}/bench.png")
    return 1 if any("error" in metrics for metrics in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
