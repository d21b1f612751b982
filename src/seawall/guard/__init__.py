"""Layer 1: what reaches the model, and what comes back from it."""
