"""The suite leaves nothing behind: every resource a run created is deleted at its end, as its creator.

A run creates resources through many paths: the checks' scenarios (``Target.create_resource``), the create
probes (media types, field constraints) and Schemathesis' generated requests. So ``CreatedResources`` trusts
none of them to tell: it watches every answer the client keeps (``Client.watchers``) and notes each success
of a family's create operation (POST on its collection) with the id it answered and the token that sent it.
A success of its delete during the run (a check's) takes it off the list: the server may give its id to the
next one. At the end (``clean_up``) each one left is deleted through its family's documented delete operation
(``openapi.families``: ``delete``), with its creator's token, newest first. A 404 is read back with the
creator's GET of the resource: gone only if that answers 404 too (a check may have deleted it). Whatever is
not deleted (the spec documents no delete, the server refused or did not answer, the run was told to keep
them) is a ``Leftover``, listed by every report. Cleaning comes after every verdict, so it cannot change
one; its requests are counted apart.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from openapi.document import Spec
from openapi.families import Action, Family, found_families

from .client import Client, TransportFailure
from .exchange import Exchange

#: Why resources were kept when the run was told to keep them.
KEPT = "kept (--keep-resources)"


@dataclass(frozen=True)
class Created:
    """A resource the run created: its family, its id and the token that created it (never reported)."""

    family: str
    id: int
    token: str = field(repr=False)

    @property
    def key(self) -> tuple[str, int]:
        return self.family, self.id


@dataclass(frozen=True)
class Leftover:
    """A resource the run created and did not delete, and why."""

    family: str
    id: int
    reason: str

    def describe(self) -> str:
        return f"{self.family} {self.id}: {self.reason}"


@dataclass
class Cleanup:
    """What the end of a run deleted and left; `requests` and `seconds` are what it cost."""

    created: int = 0
    deleted: int = 0
    """Deleted by the run's own checks (`deleted_by_run`) or by the cleanup."""
    by_family: dict[str, int] = field(default_factory=dict)
    """How many resources of each family the run created."""
    leftovers: list[Leftover] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    kept: bool = False
    deleted_by_run: int = 0

    def describe(self) -> str:
        if self.kept:
            alive = len(self.leftovers)
            return f"{alive} of {self.created} resources created by the run kept (--keep-resources)"
        left = f", {len(self.leftovers)} left on the server" if self.leftovers else ""
        return (
            f"{self.deleted} of {self.created} resources created by the run deleted{left} "
            f"({self.requests} requests, {self.seconds:.1f}s)"
        )


class CreatedResources:
    """The resources a run created and has not seen deleted, learnt from the answers its client keeps."""

    def __init__(self, spec: Spec, client: Client) -> None:
        self.client = client
        self.families = {family.name: family for family in found_families(spec)}
        self._base = urlsplit(client.base_url).path.rstrip("/")
        self._creates = {
            self._base + family.op("create").path: family.name for family in self.families.values()
        }
        # A deletion's path around the id: ("/api/v2/event/", "/") → family.
        self._deletes = {
            tuple((self._base + family.op("delete").path).split("{id}", 1)): family.name
            for family in self.families.values()
            if family.has("delete")
        }
        self.created: dict[tuple[str, int], Created] = {}
        self.by_family: Counter[str] = Counter()
        self.deleted_by_run = 0
        self._noting = threading.Lock()  # families checked side by side answer on threads of their own
        client.watchers.append(self.watch)

    def watch(self, exchange: Exchange, authorization: str | None) -> None:
        """Note a resource created; forget one the run deleted (a server may give its id to the next)."""
        if not 200 <= (exchange.status or 0) < 300:
            return
        with self._noting:
            self._note(exchange, authorization)

    def _note(self, exchange: Exchange, authorization: str | None) -> None:
        path = urlsplit(exchange.url).path
        if exchange.method == "DELETE":
            key = self._deleted(path)
            if key in self.created:
                del self.created[key]
                self.deleted_by_run += 1
            return
        family = self._creates.get(path) if exchange.method == "POST" else None
        body = exchange.json_or_none()
        if family is None or not isinstance(body, dict):
            return
        resource = body.get("id")
        scheme, _, token = (authorization or "").strip().partition(" ")
        if isinstance(resource, int) and not isinstance(resource, bool) and scheme.lower() == "bearer":
            self.created[(family, resource)] = Created(family, resource, token.strip())
            self.by_family[family] += 1

    def _deleted(self, path: str) -> tuple[str, int] | None:
        for (before, after), family in self._deletes.items():
            found = path[len(before) : len(path) - len(after)] if path.startswith(before) else ""
            if path.endswith(after) and found.isdigit():
                return family, int(found)
        return None

    def clean_up(
        self, *, keep: bool = False, evidence: Mapping[str, Iterable[Exchange]] | None = None
    ) -> Cleanup:
        """Delete every resource created (newest first) unless `keep`; what was left, and why. A resource
        that the `evidence` of a failed requirement (requirement id → its exchanges) names is kept, so that
        the report's curl lines replay as they ran."""
        alive = list(self.created.values())[::-1]
        made = sum(self.by_family.values())
        if keep:
            kept = [Leftover(item.family, item.id, KEPT) for item in alive]
            return Cleanup(made, self.deleted_by_run, dict(self.by_family), kept, kept=True,
                           deleted_by_run=self.deleted_by_run)  # fmt: skip
        if self.watch in self.client.watchers:  # what cleaning sends is no creation of the run's
            self.client.watchers.remove(self.watch)
        requests, started = self.client.request_count, time.perf_counter()
        named = self._named_by(evidence or {})
        outcomes = [named[item.key] if item.key in named else self._delete(item) for item in alive]
        leftovers = [left for left in outcomes if left is not None]
        return Cleanup(
            created=made,
            deleted=made - len(leftovers),
            by_family=dict(self.by_family),
            leftovers=leftovers,
            requests=self.client.request_count - requests,
            seconds=time.perf_counter() - started,
            deleted_by_run=self.deleted_by_run,
        )

    def _named_by(self, evidence: Mapping[str, Iterable[Exchange]]) -> dict[tuple[str, int], Leftover]:
        """The created resources a failure's evidence names (a request to `/api/v2/<family>/<id>/…`), each
        with the first requirement that names it."""
        paths = {
            key: self._base + self.families[item.family].op("info").url(item.id)
            for key, item in self.created.items()
            if self.families[item.family].has("info")
        }
        named: dict[tuple[str, int], Leftover] = {}
        for requirement_id, exchanges in evidence.items():
            for exchange in exchanges:
                sent = urlsplit(exchange.url).path
                for key, path in paths.items():
                    if key not in named and sent.startswith(path):
                        reason = f"kept: the evidence of {requirement_id} names it (its curl lines replay)"
                        named[key] = Leftover(key[0], key[1], reason)
        return named

    def _delete(self, item: Created) -> Leftover | None:
        family = self.families[item.family]
        if not family.has("delete"):
            return Leftover(item.family, item.id, f"the spec documents no DELETE of one {item.family}")
        try:
            answer = self._send(family, "delete", item)
            if 200 <= (answer.status or 0) < 300:
                return None
            if answer.status == 404 and family.has("info"):
                read = self._send(family, "info", item)
                if read.status == 404:
                    return None  # already gone: a check deleted it
                return Leftover(item.family, item.id, f"DELETE answered 404 but GET answers {read.status}")
            return Leftover(item.family, item.id, f"DELETE answered {answer.status}")
        except TransportFailure as failure:
            return Leftover(item.family, item.id, f"DELETE got no answer ({failure.exchange.error})")

    def _send(self, family: Family, action: Action, item: Created) -> Exchange:
        operation = family.op(action)
        return self.client.request(operation.method, operation.url(item.id), token=item.token)
