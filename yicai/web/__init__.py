"""The pages every app shares: the list page (`listing`) and form helpers (`forms`).

Part of the shared layer: it may use `access` (scope) and the `yicai/*.py` helpers, and never
imports a domain app."""
