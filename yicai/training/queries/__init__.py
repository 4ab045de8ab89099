"""Reads of the cultivation records, always through the scope module; pages, API, exports and
reports share them. The figures the commission reports (gaps filled, verified independent
cases, visits held) are derived here from the records, never stored. One module per domain:
import a query from its module (tests/test_import_paths.py)."""
