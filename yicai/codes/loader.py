"""Load the national code tables from the CSV fixtures; idempotent (upsert by table and code)."""

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# key, file, Chinese name, standard, extra columns kept in Code.attrs
TABLES = [
    ("sex", "gb_t_2261_1_sex.csv", "性别", "GB/T 2261.1-2003", []),
    ("ethnicity", "gb_t_3304_ethnicity.csv", "民族", "GB/T 3304-1991", []),
    ("education", "gb_t_4658_education.csv", "学历", "GB/T 4658-2006", []),
    ("degree", "gb_t_6864_degree.csv", "学位", "GB/T 6864-2003", []),
    (
        "title",
        "gb_t_8561_titles_health.csv",
        "专业技术职务",
        "GB/T 8561-2001",
        ["grade", "cv08_30_005"],
    ),
    (
        "personnel_category",
        "health_personnel_category.csv",
        "从事专业类别",
        "卫生人力基本信息调查表",
        [],
    ),
    ("political_status", "gb_t_4762_political_status.csv", "政治面貌", "GB/T 4762-1984", []),
    (
        "practice_category",
        "practice_category.csv",
        "医师执业类别",
        "卫生人力基本信息调查表",
        [],
    ),
    # Yicai's own dictionaries, extensible like the national ones.
    ("staffing", "staffing.csv", "编制情况", "", []),
    ("talent_tag", "talent_tag.csv", "人才标签", "", []),
    ("person_source", "person_source.csv", "人才来源", "", []),
    # The tiers of the commission's talent policy (A类 ...): its own, edited as its policy says.
    ("talent_tier", "talent_tier.csv", "人才层次", "", []),
]


def load_code_tables(code_table_model, code_model, keys=None) -> int:
    """Upsert every table (or those of `keys`); models are passed in so a data migration can
    use historical ones."""
    count = 0
    for key, filename, name, standard, extra in TABLES:
        if keys is not None and key not in keys:
            continue
        table, _ = code_table_model.objects.update_or_create(
            key=key, defaults={"name": name, "standard": standard}
        )
        with open(FIXTURES / filename, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        by_code = {}
        for sort, row in enumerate(rows):
            attrs = {column: row[column] for column in extra if row.get(column)}
            code, _ = code_model.objects.update_or_create(
                table=table,
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "attrs": attrs,
                    "note": (row.get("note") or "")[:200],
                    "sort": sort,
                },
            )
            by_code[row["code"]] = code
            count += 1
        for row in rows:
            parent = by_code.get(row.get("parent") or "")
            code = by_code[row["code"]]
            if code.parent_id != (parent.pk if parent else None):
                code.parent = parent
                code.save(update_fields=["parent"])
    return count


def load_synonyms(table_model, code_model, synonym_model) -> int:
    """Add the shipped synonyms (fixtures/synonyms.csv) that are not there yet; those an
    administrator added or removed are left as they are."""
    tables = {table.key: table for table in table_model.objects.all()}
    codes = {
        (key, code): pk
        for key, code, pk in code_model.objects.values_list("table__key", "code", "pk")
    }
    count = 0
    with open(FIXTURES / "synonyms.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table = tables[row["table"]]
            category = row["personnel_category"]
            _synonym, created = synonym_model.objects.get_or_create(
                table=table,
                text=row["text"],
                personnel_category_id=codes[("personnel_category", category)] if category else None,
                defaults={"code_id": codes[(row["table"], row["code"])]},
            )
            count += created
    return count
