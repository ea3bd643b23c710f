"""The per-process hub: live rooms, their replicas of the state, and in-order fan-out.

Data flows one way. An op is decided against this process's replica, appended to the store
with the seq it expects (optimistic concurrency: another process that appended first makes the
append fail with `Conflict`, and we catch up and decide again), then *ingested*: applied to the
replica and fanned out. Events appended by other processes arrive from the store's listener and
take the same ingest path, so every connection sees every event once, in `seq` order.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal, Protocol

from . import codec, frames, protocol
from .domain import (
    Accepted,
    Actor,
    Command,
    Event,
    Limits,
    Refused,
    Role,
    State,
    apply_event,
    decide,
    frame_class,
    initial_state,
    join,
    participant_view,
    permissions,
    photo_in_use,
    project_event,
    project_state,
    snapshot_reason,
)
from .domain.visibility import WHOLE_STATE_OPS, SharedViews
from .metrics import Metrics
from .store import Appended, Conflict, Duplicate, Gone, Store, Unavailable

log = logging.getLogger("tavla.rooms")

Clock = Callable[[], int]

PRESENCE_TTL_MS = 60_000
MAX_DECIDE_ATTEMPTS = 32
# After a lost race, wait a random moment up to this many seconds times the losses so far before
# trying again. Without it, a process whose own clients keep it appending back to back can win
# every race against another process (its append is one round trip, the loser's catch-up and
# retry two), and the loser's ops come back `busy` though the room is merely lively.
CONFLICT_BACKOFF_S = 0.0005
# Events a room keeps for the resumes in flight (see `Hub.welcome`). A welcome awaits three store
# calls; only a room taking more events than this within them needs to read the log again,
# at most RESUME_READS times in all before it gives up and sends a state.
MEANWHILE_EVENTS = 1024
RESUME_READS = 3

# Why a welcome carries a full state instead of events: an operator's first question when
# tavla_welcomes_total{kind="state"} climbs (docs/reliability.md, Observability).
WelcomeReason = Literal["no_since", "trimmed", "role_change", "round_change", "evaluation", "other", "replay"]


class Recipient(Protocol):
    """A live connection as the hub sees it (implemented by `server.connection`)."""

    actor: Actor
    token: str

    def deliver(self, frame: str) -> None:
        """Queue a frame without waiting; drops the connection if it cannot keep up."""

    @property
    def presence_member(self) -> str: ...

    def reset(self) -> None:
        """Close the connection so the client resumes: its view can no longer be patched."""

    def gone(self) -> None:
        """The room was deleted: close once the queued frames are out, and say so."""

    def removed(self, reason: str) -> None:
        """A facilitator removed this participant or turned them away: close for good."""

    def admitted(self) -> None:
        """A facilitator let this person in from the lobby: go on to the welcome."""


@dataclass(frozen=True, slots=True)
class Ack:
    seq: int


@dataclass(frozen=True, slots=True)
class Joined:
    actor: Actor


@dataclass(frozen=True, slots=True)
class Waiting:
    """In the "ask to join" lobby: the connection waits (`Hub.wait_in_lobby`) to be admitted."""

    actor: Actor


class LiveRoom:
    def __init__(self, code: str, state: State) -> None:
        self.code = code
        self.state = state
        self.recipients: set[Recipient] = set()
        self.waiters: set[Recipient] = set()  # connections of people in the lobby
        self.decide_lock = asyncio.Lock()
        self.catch_up_lock = asyncio.Lock()
        self.presence_task: asyncio.Task[None] | None = None
        self.unload_handle: asyncio.TimerHandle | None = None
        # Resumes between their log read and their attach, and the events ingested meanwhile
        # (kept only while there are any: a quiet room holds nothing extra).
        self.resuming = 0
        self.meanwhile: deque[Event] = deque(maxlen=MEANWHILE_EVENTS)


class Hub:
    def __init__(
        self,
        store: Store,
        limits: Limits,
        clock: Clock,
        snapshot_every: int = 200,
        unload_after_s: float = 30.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.limits = limits
        self.clock = clock
        self.snapshot_every = snapshot_every
        self.unload_after_s = unload_after_s
        self.rooms: dict[str, LiveRoom] = {}
        self.metrics = metrics or Metrics()
        self._loading: dict[str, asyncio.Future[LiveRoom | None]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._heartbeat: asyncio.Task[None] | None = None
        store.listen(self._on_store_message)

    async def start(self) -> None:
        self._heartbeat = asyncio.create_task(self._heartbeat_forever(), name="hub-heartbeat")

    async def stop(self) -> None:
        if self._heartbeat:
            self._heartbeat.cancel()
        for task in list(self._background):
            task.cancel()

    # -- rooms ---------------------------------------------------------------------------

    async def open(self, code: str) -> LiveRoom | None:
        """The live room for `code`, loading it from the store on first use."""
        room = self.rooms.get(code)
        if room is not None:
            return room
        pending = self._loading.get(code)
        if pending is not None:
            return await pending
        future: asyncio.Future[LiveRoom | None] = asyncio.get_running_loop().create_future()
        self._loading[code] = future
        try:
            room = await self._load(code)
            future.set_result(room)
            return room
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: other waiters re-raise it themselves
            raise
        finally:
            del self._loading[code]

    async def _load(self, code: str) -> LiveRoom | None:
        # Watch before reading, so nothing appended in between goes unannounced.
        await self.store.watch(code)
        loaded = await self.store.load(code)
        if loaded is None:
            await self.store.unwatch(code)
            return None
        events = [codec.decode_event(raw) for raw in loaded.events]
        if loaded.snapshot is not None:
            state = codec.decode_state(loaded.snapshot)
        else:
            state, events = initial_state(events[0]), events[1:]
        for event in events:
            apply_event(state, event)
        room = LiveRoom(code, state)
        self.rooms[code] = room
        self.metrics.rooms.set(len(self.rooms))
        # Unloaded again unless someone attaches (a page view alone does not keep it).
        room.unload_handle = asyncio.get_running_loop().call_later(self.unload_after_s, self._unload, room)
        await self._catch_up(room)
        return room

    def attach(self, room: LiveRoom, recipient: Recipient) -> None:
        if room.unload_handle is not None:
            room.unload_handle.cancel()
            room.unload_handle = None
        room.recipients.add(recipient)

    async def detach(self, room: LiveRoom, recipient: Recipient) -> None:
        room.recipients.discard(recipient)
        if not room.recipients and not room.waiters:
            loop = asyncio.get_running_loop()
            room.unload_handle = loop.call_later(self.unload_after_s, self._unload, room)
        try:
            await self.store.set_offline(room.code, recipient.presence_member)
        except Unavailable:
            pass  # the entry expires by itself

    def _forget(self, room: LiveRoom) -> None:
        """The room was deleted (here or on another process): close its connections here."""
        for recipient in [*room.recipients, *room.waiters]:
            recipient.gone()
        room.recipients.clear()
        room.waiters.clear()
        if self.rooms.get(room.code) is room:
            del self.rooms[room.code]
            self.metrics.rooms.set(len(self.rooms))
            self._spawn(self.store.unwatch(room.code))

    def _unload(self, room: LiveRoom) -> None:
        if room.recipients or room.waiters or self.rooms.get(room.code) is not room:
            return
        del self.rooms[room.code]
        self.metrics.rooms.set(len(self.rooms))
        self._spawn(self.store.unwatch(room.code))

    # -- joining and resuming ------------------------------------------------------------

    async def join(
        self, room: LiveRoom, pid: str, name: str, department: str, role: Role
    ) -> Joined | Waiting | Refused:
        """Record who `pid` is (an event, when anything changed) and the role they now hold, or
        that they wait in the lobby."""
        async with room.decide_lock:
            for _ in range(MAX_DECIDE_ATTEMPTS):
                known = room.state.participants.get(pid)
                decision = join(
                    room.state,
                    pid,
                    name or (known.name if known else ""),
                    department or (known.department if known else ""),
                    role,
                    self.limits,
                )
                if isinstance(decision, Refused):
                    return decision
                if decision is not None:
                    outcome = await self._append(room, pid, None, decision)
                    if isinstance(outcome, Refused):
                        return outcome
                    if outcome is None:
                        continue
                if pid in room.state.waiting:
                    return Waiting(Actor(pid, Role.PARTICIPANT))
                return Joined(Actor(pid, room.state.participants[pid].role))
            return Refused("busy")

    def wait_in_lobby(self, room: LiveRoom, recipient: Recipient) -> None:
        """Hold a lobby connection until `lobby.admit` or `lobby.deny` for it is ingested (on
        this process or from another one); it may have happened already."""
        pid = recipient.actor.id
        if pid in room.state.participants:
            recipient.admitted()
        elif pid in room.state.removed:
            recipient.removed("turned away")
        else:
            self.attach_waiter(room, recipient)

    def attach_waiter(self, room: LiveRoom, recipient: Recipient) -> None:
        if room.unload_handle is not None:
            room.unload_handle.cancel()
            room.unload_handle = None
        room.waiters.add(recipient)

    def leave_lobby(self, room: LiveRoom, recipient: Recipient) -> None:
        room.waiters.discard(recipient)
        if not room.recipients and not room.waiters:
            room.unload_handle = asyncio.get_running_loop().call_later(self.unload_after_s, self._unload, room)

    async def welcome(self, room: LiveRoom, recipient: Recipient, since: int | None) -> None:
        """Send `welcome` and attach, with no event slipping between the two.

        A resume replays `since + 1 … head` whenever the log reaches back and the viewer's role
        did not change in that range, however many events arrive while this awaits the store:
        the log read covers the store's head at the time of the read, and everything the replica
        ingests after the read began is kept in `room.meanwhile` until the no-await point
        below, where the two are joined (issue 15: under load a large share of resumes used to
        fall back to a full state, ~400 KB each in a big room, exactly when a herd reconnects).
        """
        if since is None:
            await self._set_online(room, recipient)  # awaited: a quick leave must come after it
            online = await self._online_ids(room)
            self._send_welcome(room, recipient, online, None, "no_since")
            return
        room.resuming += 1  # from before the log read: `meanwhile` must hold all that follows it
        try:
            read: list[bytes] | None = None
            if since > room.state.seq:
                await self._catch_up(room)
            if since <= room.state.seq:
                read = await self.store.events_after(room.code, since)
            await self._set_online(room, recipient)
            online = await self._online_ids(room)
            # From the replay's verdict to the attach, no await: the welcome's seq and the attach
            # happen at one instant.
            replay = self._replay(room, read, since, recipient)
            reads = 1
            while replay == "reread" and reads < RESUME_READS:
                # More arrived during the awaits than `meanwhile` keeps: read the log again.
                read = await self.store.events_after(room.code, since)
                reads += 1
                replay = self._replay(room, read, since, recipient)
            if isinstance(replay, list):
                self._send_welcome(room, recipient, online, replay, "replay")
            else:
                self._send_welcome(room, recipient, online, None, "other" if replay == "reread" else replay)
        finally:
            room.resuming -= 1
            if not room.resuming:
                room.meanwhile.clear()

    def _send_welcome(
        self, room: LiveRoom, recipient: Recipient, online: set[str],
        events: list[dict[str, object]] | None, reason: WelcomeReason,
    ) -> None:
        """Deliver the welcome and attach, synchronously (see `_ingest`)."""
        me = room.state.participants[recipient.actor.id]
        if me.role != recipient.actor.role:
            # Their role changed while this welcome awaited: build the state for the new one.
            recipient.actor = Actor(me.id, me.role)
        self.metrics.welcomes.labels("state" if events is None else "events", reason).inc()
        recipient.deliver(self._welcome_frame(room, recipient, online, events))
        self.attach(room, recipient)
        self._spawn(self.store.touch(room.code))  # a visit counts as activity for the idle TTL

    def _welcome_frame(
        self, room: LiveRoom, recipient: Recipient, online: set[str], events: list[dict[str, object]] | None
    ) -> str:
        me = room.state.participants[recipient.actor.id]
        now = self.clock()
        you = frames.You(me.id, me.name, me.department, me.role.value, recipient.token)
        head = (protocol.PROTOCOL_VERSION, you, room.state.seq, now)
        if events is None:
            state = project_state(room.state, recipient.actor, online, now, self.limits)
            return protocol.encode(frames.Welcome(*head, state=state))
        return protocol.encode(frames.Welcome(*head, events=events, can=permissions(room.state, recipient.actor)))

    def _replay(
        self, room: LiveRoom, read: list[bytes] | None, since: int, recipient: Recipient
    ) -> list[dict[str, object]] | WelcomeReason | Literal["reread"]:
        """The events `since + 1 … head` projected for the recipient, from the log `read` topped
        up with what the replica ingested meanwhile; or why a state must be sent instead; or
        "reread" when `meanwhile` no longer reaches back to the end of `read`."""
        head = room.state.seq
        if since > head:
            return "other"  # a client from the future (the room's log was lost): trust the server
        if read is None:
            return "trimmed"
        events = [e for e in map(codec.decode_event, read) if e.seq <= head]
        last = events[-1].seq if events else since
        if last < head:
            recent = [e for e in room.meanwhile if last < e.seq <= head]
            if not recent or recent[0].seq != last + 1:
                return "reread"
            events += recent
        if [e.seq for e in events] != list(range(since + 1, head + 1)):
            return "other"
        member = room.state.participants.get(recipient.actor.id)
        viewer = Actor(recipient.actor.id, member.role) if member else recipient.actor
        if viewer.role != recipient.actor.role:
            return "role_change"
        if reason := snapshot_reason(events, viewer):
            return reason
        return [project_event(e, viewer) for e in events]

    # -- ops -----------------------------------------------------------------------------

    async def submit(self, room: LiveRoom, actor: Actor, op_id: str, command: Command) -> Ack | Refused:
        """Decide, append, ingest; a retried op id gets the ack of its first application."""
        dedupe = f"{actor.id}:{op_id}"
        async with room.decide_lock:
            for attempt in range(MAX_DECIDE_ATTEMPTS):
                if attempt > 1:
                    await asyncio.sleep(random.uniform(0, CONFLICT_BACKOFF_S * attempt))
                    await self._catch_up(room)  # what the winner wrote while we waited
                decision = decide(room.state, actor, command, self.clock(), self.limits)
                if isinstance(decision, Refused):
                    earlier = await self.store.applied_seq(room.code, dedupe)
                    return Ack(earlier) if earlier is not None else decision
                outcome = await self._append(room, actor.id, op_id, decision)
                if outcome is not None:
                    return outcome
            return Refused("busy")

    async def _append(
        self, room: LiveRoom, by: str, op_id: str | None, decision: Accepted
    ) -> Ack | Refused | None:
        """One append attempt; None means another process got there first: decide again."""
        expected = room.state.seq
        event = Event(expected + 1, decision.op, by, self.clock(), decision.data, op_id)
        dedupe = f"{by}:{op_id}" if op_id else ""
        # Read before the append: its event may be ingested from the store while it is awaited.
        deleted_note = room.state.notes.get(str(event.data["id"])) if event.op == "note.delete" else None
        with self.metrics.store.labels("append").time():
            result = await self.store.append(room.code, expected, codec.encode_event(event), dedupe)
        if isinstance(result, Appended):
            if event.op == "room.delete":
                await self.store.delete_room(room.code)
            self._ingest(room, [event])
            if deleted_note is not None and deleted_note.photo and not photo_in_use(room.state, deleted_note.photo):
                # A deleted note's photo is never shown again: its bytes go now, not with the
                # room. Only the appender does it, once.
                self._spawn(self.store.delete_photo(room.code, deleted_note.photo))
            deleted = event.op == "room.delete"
            if result.seq % self.snapshot_every == 0 and room.state.seq == result.seq and not deleted:
                # Only the appender writes it: one snapshot per interval, not one per process.
                self._spawn(self.store.save_snapshot(room.code, result.seq, codec.encode_state(room.state)))
            return Ack(result.seq)
        if isinstance(result, Duplicate):
            if result.seq > room.state.seq:
                # Applied before but not seen here yet (its first answer was `unavailable`, or
                # another process applied it): its event goes out before its ack, as always.
                await self._catch_up(room)
            return Ack(result.seq)
        if isinstance(result, Gone):
            return Refused("gone")
        assert isinstance(result, Conflict)
        await self._catch_up(room)
        return None

    # -- ingest and fan-out --------------------------------------------------------------

    def _ingest(self, room: LiveRoom, events: list[Event]) -> None:
        """Apply and fan out, in seq order, the events this replica has not seen yet.

        Synchronous on purpose: between two awaits the replica and every recipient's queue
        move together, so a welcome (built without awaiting) can never miss or repeat one.
        """
        for event in events:
            if event.seq <= room.state.seq:
                continue
            if event.seq != room.state.seq + 1:
                self._spawn(self._catch_up(room))
                return
            apply_event(room.state, event)
            if room.resuming:
                room.meanwhile.append(event)
            self._fan_out(room, event)
            if event.op == "role.grant":
                self._rewelcome(room, str(event.data["participant"]))
            elif event.op in ("participant.remove", "lobby.deny"):
                self._close_removed(room, str(event.data["participant"]), event.op)
            elif event.op == "lobby.admit" or (event.op == "room.update" and "admitted" in event.data):
                self._admit(room)
            elif event.op == "room.delete":
                self._forget(room)
                return

    def _fan_out(self, room: LiveRoom, event: Event) -> None:
        with self.metrics.fanout.time():
            encoded: dict[Hashable, str] = {}
            shared: SharedViews | None = None
            whole = event.op in WHOLE_STATE_OPS
            if whole:  # every recipient gets a whole state: what they share is encoded once
                online = {r.actor.id for r in room.recipients}
                shared = SharedViews(room.state, online, self.limits)
            for recipient in list(room.recipients):
                cls = frame_class(event, recipient.actor)
                frame = encoded.get(cls)
                if frame is None:
                    projected = project_event(event, recipient.actor, room.state, online if whole else (),
                                              self.clock(), self.limits, shared)
                    frame = encoded[cls] = protocol.encode(projected)
                recipient.deliver(frame)

    def _close_removed(self, room: LiveRoom, pid: str, op: str) -> None:
        """Every connection of a removed (or turned away) person, on this process, closes."""
        reason = "removed by the facilitator" if op == "participant.remove" else "turned away"
        for recipient in [*room.recipients, *room.waiters]:
            if recipient.actor.id == pid:
                recipient.removed(reason)

    def _admit(self, room: LiveRoom) -> None:
        """Lobby connections of people who are now participants go on to their welcome."""
        for recipient in list(room.waiters):
            if recipient.actor.id in room.state.participants:
                room.waiters.discard(recipient)
                recipient.admitted()

    def _rewelcome(self, room: LiveRoom, pid: str) -> None:
        """Someone's role changed: their connections here see more (or less) from now on, and
        get a fresh state that matches, right after the event that changed it."""
        role = room.state.participants[pid].role
        online = {r.actor.id for r in room.recipients}  # refreshed by the next presence frame
        for recipient in list(room.recipients):
            if recipient.actor.id == pid:
                recipient.actor = Actor(pid, role)
                recipient.deliver(self._welcome_frame(room, recipient, online, None))

    async def _catch_up(self, room: LiveRoom) -> None:
        """Fill a gap from the log (a missed or out-of-order notification)."""
        async with room.catch_up_lock:
            raws = await self.store.events_after(room.code, room.state.seq)
            if raws is None:
                await self._reload(room)
                return
            self._ingest(room, [codec.decode_event(raw) for raw in raws])

    async def _reload(self, room: LiveRoom) -> None:
        """The log was trimmed past this replica (it slept a long time), or the store has
        fewer events than it (a Redis failover without WAIT lost some): start again from the
        store and re-welcome every connection, since the events in between cannot be sent."""
        loaded = await self.store.load(room.code)
        if loaded is None:
            return
        events = [codec.decode_event(raw) for raw in loaded.events]
        if loaded.snapshot is not None:
            state = codec.decode_state(loaded.snapshot)
        elif events:
            state, events = initial_state(events[0]), events[1:]
        else:
            return
        for event in events:
            apply_event(state, event)
        room.state = state
        for recipient in list(room.recipients):
            recipient.reset()
        room.meanwhile.clear()  # no longer contiguous with the replica: resumes in flight read again

    def _on_store_message(self, code: str, raw: bytes | None) -> None:
        room = self.rooms.get(code)
        if room is None:
            return
        if raw is None:
            self._schedule_presence(room)
            self._spawn(self._catch_up(room))
            return
        self._ingest(room, [codec.decode_event(raw)])

    # -- presence (not in the log) -------------------------------------------------------

    async def _set_online(self, room: LiveRoom, *recipients: Recipient) -> None:
        members = [r.presence_member for r in recipients]
        await self.store.set_online(room.code, members, self.clock() + PRESENCE_TTL_MS)

    async def _online_ids(self, room: LiveRoom) -> set[str]:
        members = await self.store.online(room.code, self.clock())
        return {m.split("|", 1)[0] for m in members}

    def _schedule_presence(self, room: LiveRoom) -> None:
        """Coalesce a burst of joins and leaves into one presence frame per room."""
        if room.presence_task is None or room.presence_task.done():
            room.presence_task = asyncio.create_task(self._send_presence(room))

    async def _send_presence(self, room: LiveRoom) -> None:
        await asyncio.sleep(0.25)
        online = await self._online_ids(room)
        frame = protocol.encode(
            frames.Presence([participant_view(p, p.id in online) for p in room.state.participants.values()])
        )
        for recipient in list(room.recipients):
            recipient.deliver(frame)

    async def _heartbeat_forever(self) -> None:
        """Keep this process's presence entries alive and poll for missed notifications."""
        while True:
            await asyncio.sleep(PRESENCE_TTL_MS / 3000)
            for room in list(self.rooms.values()):
                try:
                    if room.recipients:
                        await self._set_online(room, *room.recipients)
                    if await self.store.head(room.code) != room.state.seq:  # behind, or a lossy failover
                        await self._catch_up(room)
                except Unavailable:
                    break
                except Exception:  # one broken room must not stop the heartbeat of the others
                    log.exception("heartbeat failed for a room")

    def _spawn(self, coro) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background_done)

    def _background_done(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            level = logging.WARNING if isinstance(exc, Unavailable) else logging.ERROR
            log.log(level, "background task failed: %r", exc)
