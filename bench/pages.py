"""`make bench` (first part): server time of the main pages on the Cluster 9 demo.

    .venv/bin/python -m bench.pages [--repeat N]

Builds the whole demo (``load_demo``: the 2020 year through review, published results, the
conference and proposals) in a throw-away SQLite database, with production-like settings
(DEBUG off, cached templates), then requests each page through Django's test client as the
user who would open it and prints the median server time (request → response, no network),
the best run and the number of database queries. PRODUCT.md §8 asks for "well under 200 ms
server time". Not a test: it prints figures and asserts nothing. Its last line is one JSON
object (``pages``: path → median seconds).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any


def _configure(var_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "thidua.settings",
            "THIDUA_VAR_DIR": var_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "DEMO_MODE": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_MANIFEST": "0",
            "STATIC_FROM_FINDERS": "1",
            "ALLOWED_HOSTS": "testserver",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    )


# (label, user, URL name, args): the pages each role opens most during the year.
PAGES: tuple[tuple[str, str, str, tuple[Any, ...]], ...] = (
    ("results table", "thuongtruc.tg", "results:results", ("C9", 2020)),
    ("analytics", "thuongtruc.tg", "results:results_analytics", ("C9", 2020)),
    ("explanation (TG)", "thuongtruc.tg", "results:results_school", ("C9", 2020, "TG")),
    ("reconciliation", "thuongtruc.tg", "results:reconciliation", ("C9", 2020)),
    ("self-assessment", "canbo.kg", "assessments:detail", ("C9", 2020, "KG")),
    ("conference", "thuongtruc.tg", "voting:detail", ("C9", 2020)),
    ("criteria editor", "hocvien", "criteria:framework_detail", ("FRAMEWORK",)),
)


def measure(repeat: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thidua.accounts.models import User
    from thidua.campaigns.models import Campaign

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    load_s = time.perf_counter() - started
    framework_id = Campaign.objects.get(cluster_year__cluster__code="C9", cluster_year__year=2020).framework_id
    rows: list[dict[str, Any]] = []
    for label, username, name, args in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        path = reverse(name, args=[framework_id if arg == "FRAMEWORK" else arg for arg in args])
        client.get(path)  # warm-up: template and URL caches, first-query costs
        times = []
        for _ in range(repeat):
            reset_queries()
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        rows.append(
            {
                "page": label,
                "path": path,
                "status": response.status_code,
                "median_s": statistics.median(times),
                "best_s": min(times),
                "queries": len(queries),
            }
        )
    return {"load_demo_s": load_s, "rows": rows}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page after a warm-up (default 15)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as var_dir:
        _configure(var_dir)
        import django

        django.setup()
        figures = measure(max(1, args.repeat))
    out = sys.stdout
    out.write(f"Trang trên dữ liệu trình diễn Cụm 9 (SQLite, DEBUG tắt); load_demo {figures['load_demo_s']:.1f} s\n")
    out.write(f"{'trang':<22} {'mã':>4} {'trung vị':>10} {'nhanh nhất':>11} {'truy vấn':>9}  đường dẫn\n")
    for row in figures["rows"]:
        out.write(
            f"{row['page']:<22} {row['status']:>4} {row['median_s'] * 1000:>8.1f}ms {row['best_s'] * 1000:>9.1f}ms "
            f"{row['queries']:>9}  {row['path']}\n"
        )
    summary = {
        "pages": {row["path"]: round(row["median_s"], 4) for row in figures["rows"]},
        "slowest_page_s": round(max(row["median_s"] for row in figures["rows"]), 4),
    }
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
