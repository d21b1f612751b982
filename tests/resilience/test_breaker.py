from seawall.config import BreakerSettings
from seawall.resilience.breaker import BreakerState, CircuitBreaker

SETTINGS = BreakerSettings(window_s=10, min_requests=4, failure_rate=0.5, cooldown_s=5)


def test_opens_only_with_enough_requests_and_failures():
    breaker = CircuitBreaker(SETTINGS)
    for _ in range(3):
        breaker.record_failure(100.0)
    assert breaker.state(100.0) is BreakerState.CLOSED  # 3 < min_requests
    breaker.record_failure(100.5)
    assert breaker.state(100.5) is BreakerState.OPEN
    assert not breaker.allows(101.0)


def test_failure_share_below_threshold_stays_closed():
    breaker = CircuitBreaker(SETTINGS)
    for i in range(10):
        breaker.record_success(100.0 + i * 0.1)
    for i in range(9):
        breaker.record_failure(101.0 + i * 0.1)
    assert breaker.state(102.0) is BreakerState.CLOSED  # 9 of 19 failed
    breaker.record_failure(102.0)
    assert breaker.state(102.0) is BreakerState.OPEN


def test_old_outcomes_leave_the_window():
    breaker = CircuitBreaker(SETTINGS)
    for _ in range(3):
        breaker.record_failure(100.0)
    breaker.record_failure(111.0)  # the first three are out of the 10 s window
    assert breaker.state(111.0) is BreakerState.CLOSED
    assert breaker.counts(111.0) == (0, 1)


def test_half_open_lets_one_probe_and_success_closes():
    breaker = CircuitBreaker(SETTINGS)
    for _ in range(4):
        breaker.record_failure(100.0)
    assert not breaker.available(104.9)
    assert breaker.state(105.0) is BreakerState.HALF_OPEN
    assert breaker.allows(105.0)  # the probe
    assert not breaker.allows(105.1)  # only one at a time
    breaker.record_success(105.2)
    assert breaker.state(105.2) is BreakerState.CLOSED
    assert breaker.counts(105.2) == (0, 0)


def test_failed_probe_reopens_for_another_cooldown():
    breaker = CircuitBreaker(SETTINGS)
    for _ in range(4):
        breaker.record_failure(100.0)
    assert breaker.allows(105.0)
    breaker.record_failure(105.5)
    assert breaker.state(105.5) is BreakerState.OPEN
    assert breaker.open_until == 110.5


def test_unused_probe_can_be_released_and_a_stale_probe_is_replaced():
    breaker = CircuitBreaker(SETTINGS)
    for _ in range(4):
        breaker.record_failure(100.0)
    assert breaker.allows(105.0)
    breaker.release_probe()
    assert breaker.allows(105.1)
    assert not breaker.allows(106.0)
    assert breaker.allows(110.2)  # the probe never reported back within a cooldown


def test_peer_counts_join_the_decision():
    breaker = CircuitBreaker(SETTINGS)
    breaker.peer_fail = 3
    breaker.record_failure(100.0)
    assert breaker.state(100.0) is BreakerState.OPEN


def test_trip_adopts_a_later_open_mark_only():
    breaker = CircuitBreaker(SETTINGS)
    breaker.trip(120.0)
    breaker.trip(110.0)
    assert breaker.open_until == 120.0


def test_peers_alone_can_open_it():
    breaker = CircuitBreaker(SETTINGS)
    breaker.peer_fail = 4
    breaker.reassess(100.0)
    assert breaker.state(100.0) is BreakerState.OPEN
