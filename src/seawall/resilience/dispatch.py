"""The dispatcher: the I/O driver around the pure decisions.

For one request it walks the model group and then its fallbacks in order; within a
group it asks the balancer for an order, the health board whether a deployment may be
tried, the slot store for a concurrency slot, and the retry policy what to do after a
failure. A stream counts as started once its first chunk has arrived: before that,
any failure is retried or falls back invisibly to the client.

    dispatcher = Dispatcher(groups, board, slots, options)
    completion = await dispatcher.complete(request, trace)
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from ..clock import Clock
from ..config import TimeoutSettings
from ..errors import (
    AttemptRecord,
    NoRouteAvailable,
    Overloaded,
    ProviderTimeout,
    RateLimited,
    StreamBroken,
    UpstreamError,
    UpstreamRejected,
)
from ..providers.base import Provider
from ..stores.base import Lease, SlotStore
from ..types import JSON, ChatRequest, Chunk, ChunkStream, Completion, EmbeddingRequest
from .balance import Target, order
from .health import HealthBoard
from .retry import Attempt, GiveUp, RetryPolicy, Sleep

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Deployment(Target):
    group: str
    provider: Provider
    internal: bool = False  # hosted in-house: may see data that must not leave


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    deployments: tuple[Deployment, ...]
    fallbacks: tuple[str, ...]
    balance: str


class Observer(Protocol):
    """Where the dispatcher reports what it did (traces and metrics listen)."""

    def attempt(
        self, deployment: Deployment, outcome: str, seconds: float, detail: str = ""
    ) -> None: ...

    def retry(self, group: str) -> None: ...

    def fallback(self, from_group: str, to_group: str) -> None: ...


class NullObserver:
    def attempt(
        self, deployment: Deployment, outcome: str, seconds: float, detail: str = ""
    ) -> None:
        return None

    def retry(self, group: str) -> None:
        return None

    def fallback(self, from_group: str, to_group: str) -> None:
        return None


class Quotas(Protocol):
    """Upstream quotas per deployment: None when there is room for one more request,
    else the seconds until there will be."""

    async def room(self, deployment: str) -> float | None: ...


class NoQuotas:
    async def room(self, deployment: str) -> float | None:
        return None


@dataclass(frozen=True, slots=True)
class DispatchOptions:
    retry: RetryPolicy
    timeouts: TimeoutSettings
    clock: Clock
    rng: random.Random = field(default_factory=random.Random)
    quotas: Quotas = field(default_factory=NoQuotas)


@dataclass(slots=True)
class Call:
    """One request's way through the groups: its deadline, headers and attempt log."""

    model: str
    deadline: float
    headers: Mapping[str, str]
    observer: Observer
    log: list[AttemptRecord] = field(default_factory=list)
    retries: int = 0
    fallbacks: int = 0
    internal_only: bool = False  # the request carries data only internal deployments see
    avoid: set[str] = field(default_factory=set)  # deployments this request must not use
    pin: str = ""  # a deployment to try before the balancer's order, when it may be used


_OUTCOMES: dict[str, str] = {
    "ProviderTimeout": "timeout",
    "ProviderRateLimited": "rate_limited",
    "ProviderBadResponse": "bad_response",
    "NotSupported": "not_supported",
}


def _outcome(exc: UpstreamError) -> str:
    return _OUTCOMES.get(type(exc).__name__, "unavailable")


class Dispatcher:
    def __init__(
        self,
        groups: Mapping[str, Group],
        board: HealthBoard,
        slots: SlotStore,
        options: DispatchOptions,
    ) -> None:
        self.groups = groups
        self.board = board
        self.slots = slots
        self._opt = options
        self._clock = options.clock

    def call(self, model: str, headers: Mapping[str, str], observer: Observer) -> Call:
        deadline = self._clock.now() + self._opt.timeouts.total_s
        return Call(model, deadline, headers, observer)

    async def complete(self, call: Call, request: ChatRequest) -> Completion:
        async def attempt(dep: Deployment, lease: Lease) -> Completion:
            try:
                async with asyncio.timeout(self._remaining(call)):
                    result = await dep.provider.complete(request, call.headers)
            except TimeoutError:
                raise ProviderTimeout(f"{dep.id}: no answer before the total timeout") from None
            finally:
                await self.slots.release(lease)
            self.board.record(dep.id, ok=True)
            return result

        return await self._run(call, attempt)

    async def embed(self, call: Call, request: EmbeddingRequest) -> tuple[str, JSON]:
        async def attempt(dep: Deployment, lease: Lease) -> tuple[str, JSON]:
            try:
                async with asyncio.timeout(self._remaining(call)):
                    result = await dep.provider.embed(request, call.headers)
            except TimeoutError:
                raise ProviderTimeout(f"{dep.id}: no answer before the total timeout") from None
            finally:
                await self.slots.release(lease)
            self.board.record(dep.id, ok=True)
            return dep.id, result

        return await self._run(call, attempt)

    async def stream(self, call: Call, request: ChatRequest) -> ChunkStream:
        timeouts = self._opt.timeouts

        async def attempt(dep: Deployment, lease: Lease) -> ChunkStream:
            chunks = dep.provider.stream(request, call.headers)
            try:
                wait = min(timeouts.first_token_s, self._remaining(call))
                async with asyncio.timeout(wait):
                    first = await anext(chunks)
            except TimeoutError:
                await _quietly_close(chunks, self.slots, lease)
                raise ProviderTimeout(f"{dep.id}: no first token within {wait:.1f}s") from None
            except StopAsyncIteration:
                await _quietly_close(chunks, self.slots, lease)
                raise UpstreamError(f"{dep.id}: stream ended before its first chunk") from None
            except BaseException:
                await _quietly_close(chunks, self.slots, lease)
                raise
            tail = _Tail(self, call, dep, chunks, lease)
            return ChunkStream(dep.id, first, tail, tail.aclose)

        return await self._run(call, attempt)

    def _remaining(self, call: Call) -> float:
        return max(0.0, call.deadline - self._clock.now())

    def chain(self, model: str) -> list[Group]:
        """The group and its fallbacks, each once, in order (fallbacks of fallbacks too)."""
        seen: dict[str, Group] = {}
        queue = [model]
        while queue:
            group = self.groups.get(queue.pop(0))
            if group is not None and group.name not in seen:
                seen[group.name] = group
                queue.extend(group.fallbacks)
        return list(seen.values())

    async def _run(self, call: Call, attempt: Callable[[Deployment, Lease], Awaitable[T]]) -> T:
        groups = self.chain(call.model)
        for index, group in enumerate(groups):
            if index:
                call.fallbacks += 1
                call.observer.fallback(groups[index - 1].name, group.name)
            found, result = await self._try_group(call, group, attempt)
            if found:
                return result  # type: ignore[return-value]
        raise self._final_error(call, groups)

    async def _try_group(
        self, call: Call, group: Group, attempt: Callable[[Deployment, Lease], Awaitable[T]]
    ) -> tuple[bool, T | None]:
        tried: set[str] = set()
        tries = 0
        allowed = group.deployments
        if call.avoid:
            allowed = tuple(d for d in allowed if d.id not in call.avoid)
            for dep in group.deployments:
                if dep.id in call.avoid:
                    call.log.append(AttemptRecord(dep.id, "skipped:avoided", "answered wrongly"))
        if call.internal_only:
            for dep in allowed:
                if not dep.internal:
                    call.log.append(AttemptRecord(dep.id, "skipped:external", "not internal"))
            allowed = tuple(d for d in allowed if d.internal)
        while True:
            usable = [d for d in allowed if self.board.usable(d.id)]
            fresh = [d for d in usable if d.id not in tried]
            action = self._opt.retry.next_action(
                tries=tries,
                fresh=bool(fresh),
                usable=bool(usable),
                remaining_s=self._remaining(call),
                rand=self._opt.rng.random(),
            )
            if isinstance(action, GiveUp):
                self._log_unusable(call, group, tried)
                return False, None
            if isinstance(action, Sleep):
                await asyncio.sleep(action.seconds)
                fresh = [d for d in allowed if self.board.usable(d.id)]
                if not fresh:
                    continue  # went unhealthy while we waited: the policy will give up
            assert isinstance(action, (Attempt, Sleep))
            picked = await self._pick(call, group, fresh)
            if picked is None:
                return False, None
            dep, lease = picked
            if tries:
                call.retries += 1
                call.observer.retry(group.name)
            tries += 1
            tried.add(dep.id)
            done, result = await self._attempt(call, dep, lease, attempt)
            if done:
                return True, result

    async def _pick(
        self, call: Call, group: Group, candidates: Sequence[Deployment]
    ) -> tuple[Deployment, Lease] | None:
        ranked = order(candidates, self.slots.in_flight, group.balance, self._opt.rng)
        if call.pin:
            ranked = sorted(ranked, key=lambda d: d.id != call.pin)  # stable: pinned first
        wait = min(self._opt.timeouts.queue_s, self._remaining(call))
        for dep in ranked:
            if not self.board.claim(dep.id):
                continue
            # only the last candidate waits for a slot; the others are skipped when full
            lease = await self.slots.acquire(dep.id, dep.limit, wait if dep is ranked[-1] else 0.0)
            if lease is None:
                self.board.unclaim(dep.id)
                call.log.append(AttemptRecord(dep.id, "skipped:busy", f"{dep.limit} in flight"))
                continue
            wait_s = await self._opt.quotas.room(dep.id)  # counted only with a slot in hand
            if wait_s is None:
                return dep, lease
            await self.slots.release(lease)  # its upstream quota is used up: quiet until free
            self.board.unclaim(dep.id)
            self.board.cool_down(dep.id, wait_s)
            call.log.append(AttemptRecord(dep.id, "skipped:quota", f"free in {wait_s:.1f}s"))
        return None

    async def _attempt(
        self,
        call: Call,
        dep: Deployment,
        lease: Lease,
        attempt: Callable[[Deployment, Lease], Awaitable[T]],
    ) -> tuple[bool, T | None]:
        start = self._clock.now()
        try:
            result = await attempt(dep, lease)
        except UpstreamRejected:
            # the deployment is alive; the request itself is at fault: no retry
            self.board.record(dep.id, ok=True)
            call.observer.attempt(dep, "rejected", self._clock.now() - start)
            raise
        except UpstreamError as exc:
            self._failed(call, dep, exc, self._clock.now() - start)
            return False, None
        call.observer.attempt(dep, "ok", self._clock.now() - start)
        return True, result

    def _failed(self, call: Call, dep: Deployment, exc: UpstreamError, seconds: float) -> None:
        outcome = _outcome(exc)
        if exc.counts_against_health:
            self.board.record(dep.id, ok=False)
        else:
            self.board.unclaim(dep.id)
        if exc.retry_after is not None:
            self.board.cool_down(dep.id, exc.retry_after)
        call.log.append(AttemptRecord(dep.id, outcome, exc.message))
        call.observer.attempt(dep, outcome, seconds, exc.message)

    def _log_unusable(self, call: Call, group: Group, tried: set[str]) -> None:
        logged = {a.deployment for a in call.log}
        for dep in group.deployments:
            if dep.id in tried or dep.id in logged or self.board.usable(dep.id):
                continue
            cooldown = self.board.cooldown_remaining(dep.id)
            why = f"cooling down {cooldown:.1f}s" if cooldown else "circuit open"
            call.log.append(AttemptRecord(dep.id, "skipped:unhealthy", why))

    def _final_error(self, call: Call, groups: Sequence[Group]) -> Exception:
        tried = [a for a in call.log if not a.outcome.startswith("skipped")]
        cooldowns = [self.board.usable_in(d.id) for g in groups for d in g.deployments]
        retry_after = min((c for c in cooldowns if c > 0), default=None)
        if not tried and any(a.outcome == "skipped:busy" for a in call.log):
            return Overloaded(
                f"every deployment of '{call.model}' is at its concurrency limit", retry_after=1.0
            )
        if not tried and call.log and all(a.outcome == "skipped:quota" for a in call.log):
            return RateLimited(
                f"every deployment of '{call.model}' is at its upstream quota; retry after "
                f"{retry_after or 1:.1f} s",
                retry_after=retry_after or 1.0,
            )
        return NoRouteAvailable(call.model, call.log, retry_after=retry_after)


class _Tail:
    """The rest of a started stream: idle and total timeouts between chunks, the
    deployment's outcome when it ends, and its slot released exactly once."""

    __slots__ = ("_call", "_chunks", "_closed", "_dep", "_dispatcher", "_lease")

    def __init__(
        self,
        dispatcher: Dispatcher,
        call: Call,
        dep: Deployment,
        chunks: AsyncIterator[Chunk],
        lease: Lease,
    ) -> None:
        self._dispatcher = dispatcher
        self._call = call
        self._dep = dep
        self._chunks = chunks
        self._lease = lease
        self._closed = False

    def __aiter__(self) -> _Tail:
        return self

    async def __anext__(self) -> Chunk:
        if self._closed:
            raise StopAsyncIteration
        idle = self._dispatcher._opt.timeouts.idle_s
        try:
            async with asyncio.timeout(min(idle, self._dispatcher._remaining(self._call))):
                return await anext(self._chunks)
        except StopAsyncIteration:
            await self._finish(ok=True)
            raise
        except TimeoutError:
            broken = StreamBroken(f"{self._dep.id}: stream stalled past the idle timeout")
        except UpstreamError as exc:
            broken = StreamBroken(exc.message)
        await self._finish(ok=False, detail=broken.message)
        raise broken

    async def aclose(self) -> None:
        """Abandon the stream (the client left): no outcome is recorded."""
        await self._finish(ok=None)

    async def _finish(self, ok: bool | None, detail: str = "") -> None:
        if self._closed:
            return
        self._closed = True
        board = self._dispatcher.board
        if ok is not None:
            board.record(self._dep.id, ok=ok)
        if ok is False:
            self._call.observer.attempt(self._dep, "stream_broken", 0.0, detail)
        await _quietly_close(self._chunks, self._dispatcher.slots, self._lease)


async def _quietly_close(chunks: AsyncIterator[Chunk], slots: SlotStore, lease: Lease) -> None:
    try:
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()
    except Exception:  # a generator that fails while closing has nothing more to say
        pass
    finally:
        await slots.release(lease)
