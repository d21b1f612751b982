"""Decision-quality figures on labelled files (``seawall eval``)."""
