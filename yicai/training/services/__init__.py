"""Writes of the cultivation records: one function per business action, each in a transaction,
each checking the rules before it saves (errors name the field, in Chinese). One module per
domain: import an action from its module (tests/test_import_paths.py)."""
