"""留 Retain: incentive policies and award runs, the funds ledger, and what keeps people."""
