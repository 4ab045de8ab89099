"""The dashboard (人才驾驶舱): the figures of what the user oversees as of a day and over a
period, region to institution to department to the people behind a number; every figure a
link to the list of records it counts, every chart a table and an export (docs/dashboard.md)."""
