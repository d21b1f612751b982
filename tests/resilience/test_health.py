from seawall.clock import FakeClock
from seawall.config import BreakerSettings
from seawall.resilience.breaker import BreakerState
from seawall.resilience.health import HealthBoard
from seawall.stores.memory import LocalHealthSync

SETTINGS = BreakerSettings(window_s=10, min_requests=2, failure_rate=0.5, cooldown_s=5)


def board(clock: FakeClock) -> HealthBoard:
    return HealthBoard(["a"], SETTINGS, LocalHealthSync(), clock)


def test_cooldown_makes_a_deployment_unusable_until_it_passes():
    clock = FakeClock()
    health = board(clock)
    health.cool_down("a", 2.0)
    assert not health.usable("a") and not health.claim("a")
    assert health.cooldown_remaining("a") == 2.0
    clock.advance(2.0)
    assert health.usable("a") and health.claim("a")


def test_a_shorter_retry_after_never_shortens_a_cooldown():
    clock = FakeClock()
    health = board(clock)
    health.cool_down("a", 10.0)
    health.cool_down("a", 1.0)
    assert health.cooldown_remaining("a") == 10.0


def test_transitions_reach_listeners_in_order():
    clock = FakeClock()
    health = board(clock)
    seen = []
    health.listen(lambda key, old, new: seen.append((key, old.value, new.value)))
    health.record("a", ok=False)
    health.record("a", ok=False)
    clock.advance(5.0)
    assert health.claim("a")
    health.record("a", ok=True)
    assert seen == [
        ("a", "closed", "open"),
        ("a", "open", "half_open"),
        ("a", "half_open", "closed"),
    ]
    assert health.state("a") is BreakerState.CLOSED
