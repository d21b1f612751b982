"""Resilience: circuit breakers, retries, balancing, bulkheads and the dispatcher that
drives them. The decisions are pure (``breaker``, ``retry``, ``balance``); ``health``
keeps their state and ``dispatch`` does the I/O."""
