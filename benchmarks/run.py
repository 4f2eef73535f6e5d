"""`make bench`: run every benchmarks/bench_*.py and print one table.

Each benchmark is a script that prints rows as JSON lines on stdout:
{"benchmark": ..., "case": ..., "metric": ..., "value": ..., "unit": ..., "target": ...}
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    rows = []
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            failed.append(script.name)
            print(result.stderr, file=sys.stderr)
        for line in result.stdout.splitlines():
            if line.startswith("{"):
                rows.append(json.loads(line))
    headers = ("benchmark", "case", "metric", "value", "unit", "target")
    table = [headers] + [
        tuple(str(row.get(key, "")) for key in headers) for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    for index, line in enumerate(table):
        print(
            "  ".join(
                cell.ljust(width) for cell, width in zip(line, widths, strict=True)
            )
        )
        if index == 0:
            print("  ".join("-" * width for width in widths))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
