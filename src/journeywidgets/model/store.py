"""Where a map keeps its entities, and the unchecked primitives that edits are built from.

Order is kept per *scope*, the collection an entity is ordered within:

- stages, lanes and personas: one list each;
- touchpoints: one list per stage (journey order is stage order, then order within stage);
- cards: one list per cell, a (touchpoint, lane) pair.

Keeping order per scope makes a move cost the size of two scopes, not of the map, which is
what lets a 20,000-card map take a drag as cheaply as a 20-card one.  Nothing here checks
anything: :mod:`journeywidgets.model.edits` validates first and only then calls these.
"""

from __future__ import annotations

from collections.abc import Iterator

from .entities import Card, Entity, Lane, MapInfo, Persona, Scale, Stage, Touchpoint
from .ids import new_id

Cell = tuple[str, str]


class Store:
    """The entities of one map, indexed by id and ordered per scope."""

    def __init__(self) -> None:
        self.info = MapInfo()
        self.entities: dict[str, Entity] = {}
        self.kinds: dict[str, str] = {}
        self.stages: list[str] = []
        self.lanes: list[str] = []
        self.personas: list[str] = []
        self.touchpoints: dict[str, list[str]] = {}
        self.cells: dict[Cell, list[str]] = {}
        self._counters: dict[str, int] = {}

    # ----------------------------------------------------------------- lookups
    def get(self, id: str) -> Entity | None:
        return self.entities.get(id)

    def kind(self, id: str) -> str | None:
        return self.kinds.get(id)

    @property
    def scale(self) -> Scale:
        return self.info.scale

    def scope(self, entity: Entity) -> list[str]:
        """The ordered id list ``entity`` belongs to (created empty when new)."""
        if isinstance(entity, Card):
            return self.cells.setdefault((entity.touchpoint, entity.lane), [])
        if isinstance(entity, Touchpoint):
            return self.touchpoints.setdefault(entity.stage, [])
        if isinstance(entity, Stage):
            return self.stages
        if isinstance(entity, Lane):
            return self.lanes
        if isinstance(entity, Persona):
            return self.personas
        raise TypeError(type(entity).__name__)

    def peek(self, entity: Entity) -> list[str]:
        """Like :meth:`scope`, but without creating an empty scope (a read-only look)."""
        if isinstance(entity, Card):
            return self.cells.get((entity.touchpoint, entity.lane), [])
        if isinstance(entity, Touchpoint):
            return self.touchpoints.get(entity.stage, [])
        return self.scope(entity)

    def position(self, entity: Entity) -> int:
        return self.scope(entity).index(entity.id)

    def journey(self) -> Iterator[str]:
        """Touchpoint ids in journey order."""
        for stage in self.stages:
            yield from self.touchpoints.get(stage, ())

    def card_ids(self) -> Iterator[str]:
        """Card ids in map order: by touchpoint in journey order, then lane, then cell."""
        for tp in self.journey():
            for lane in self.lanes:
                yield from self.cells.get((tp, lane), ())

    def cards_of_touchpoint(self, tp: str) -> list[str]:
        return [c for lane in self.lanes for c in self.cells.get((tp, lane), ())]

    def cards_of_lane(self, lane: str) -> list[str]:
        return [c for tp in self.journey() for c in self.cells.get((tp, lane), ())]

    def fresh_id(self, kind: str, name: str | None) -> str:
        start = self._counters.get(kind, 1)
        id = new_id(kind, name, self.entities, start=start if not name else 1)
        if not name or id.startswith(f"{kind}_"):
            tail = id.rsplit("_", 1)[-1]
            if tail.isdigit():
                self._counters[kind] = int(tail) + 1
        return id

    # -------------------------------------------------------------- primitives
    def insert(self, kind: str, entity: Entity, index: int | None) -> None:
        scope = self.scope(entity)
        scope.insert(len(scope) if index is None else index, entity.id)
        self.entities[entity.id] = entity
        self.kinds[entity.id] = kind
        if isinstance(entity, Stage):
            self.touchpoints.setdefault(entity.id, [])

    def delete(self, id: str) -> int:
        """Remove an entity (which must hold nothing); return its position in its scope."""
        entity = self.entities[id]
        scope = self.scope(entity)
        pos = scope.index(id)
        del scope[pos]
        del self.entities[id]
        del self.kinds[id]
        if isinstance(entity, Card) and not scope:
            del self.cells[(entity.touchpoint, entity.lane)]
        elif isinstance(entity, Stage):
            del self.touchpoints[id]
        elif isinstance(entity, Touchpoint) and not scope:
            # keep an empty stage's list: stages always have one
            self.touchpoints[entity.stage] = scope
        return pos

    def replace(self, entity: Entity) -> None:
        """Swap in a new version of an entity whose scope is unchanged."""
        self.entities[entity.id] = entity

    def relocate(self, old: Entity, new: Entity, index: int | None) -> None:
        """Move an entity to ``index`` of its (possibly new) scope."""
        old_scope = self.scope(old)
        old_scope.remove(old.id)
        if isinstance(old, Card) and not old_scope:
            del self.cells[(old.touchpoint, old.lane)]
        self.entities[new.id] = new
        scope = self.scope(new)
        scope.insert(len(scope) if index is None else index, new.id)
