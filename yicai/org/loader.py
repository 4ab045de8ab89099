"""Load GB/T 2260 regions from the CSV fixture; idempotent."""

import csv
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "regions.csv"


def load_regions(region_model) -> int:
    with open(FIXTURE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code: dict[str, Any] = {}
    for row in rows:  # parents come before children in the file
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent": by_code.get(row["parent"]) if row["parent"] else None,
                "note": (row.get("note") or "")[:200],
            },
        )
        by_code[row["code"]] = region
    return len(rows)
