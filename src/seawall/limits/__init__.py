"""How much a caller may use: rate windows, budgets, and the spend ledger."""
