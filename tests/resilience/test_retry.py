import pytest

from seawall.config import RetrySettings
from seawall.resilience.retry import Attempt, GiveUp, RetryPolicy, Sleep

POLICY = RetryPolicy(RetrySettings(attempts=3, backoff_ms=100, max_backoff_ms=250))


def act(**state):
    defaults = {"tries": 1, "fresh": False, "usable": True, "remaining_s": 30.0, "rand": 0.5}
    return POLICY.next_action(**{**defaults, **state})


def test_first_try_and_fresh_deployments_go_at_once():
    assert act(tries=0, fresh=True) == Attempt()
    assert act(tries=2, fresh=True) == Attempt()


def test_retrying_a_tried_deployment_backs_off_with_jitter():
    assert act(tries=1) == Sleep(0.05)
    assert act(tries=2) == Sleep(0.1)
    assert act(tries=2, rand=0.0) == Sleep(0.0)


def test_backoff_is_capped():
    assert POLICY.backoff(10, 1.0) == pytest.approx(0.25)


def test_gives_up_when_attempts_are_spent_or_nothing_is_usable():
    assert act(tries=3, fresh=True) == GiveUp("attempts spent")
    assert act(usable=False) == GiveUp("no usable deployment")
    assert act(remaining_s=0.0, fresh=True) == GiveUp("deadline passed")
    assert act(remaining_s=0.04) == GiveUp("backoff past the deadline")
