"""Every organisation's assessments as one table, for admins: what their dashboard shows.

Filtered by the organisation's type and region and the assessment's status, sorted by any
column, a page at a time, in the same few queries however many organisations there are. What
is asked for arrives in the address (GET), so a filtered and sorted page can be bookmarked and
shared. A value the page does not offer (a hand-edited or stale address) is ignored, and the
page says so: never an error.

An assessment's *last change* is the latest of its answers' saves and its milestones (started,
submitted, reopened): when anyone last did something to it that shows in it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Lower

from assessment.models import Answer, Assessment, AssessmentEvent, Organisation

PAGE_SIZE = 50
# What the filters offer, as (value, label): every type and status; the regions are read.
KINDS = Organisation.Kind.choices
STATUSES = Assessment.Status.choices


@dataclass(frozen=True)
class Column:
    """A column of the table, and how it sorts."""

    key: str  # in the address: ?sort=<key>, or ?sort=-<key> for the reverse order
    heading: str
    newest_first: bool = False  # a date: sorted newest first when first chosen


COLUMNS = (
    Column("organisation", "Organisation"),
    Column("edition", "Edition"),
    Column("type", "Type"),
    Column("region", "Region"),
    Column("status", "Status"),
    Column("last_change", "Last change", newest_first=True),
)
_COLUMNS = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "organisation"

# What the page says when it ignores a value: it never repeats the value itself.
_IGNORED_TYPE = (
    "The address asked for a type of organisation that does not exist, so every type is shown."
)
_IGNORED_REGION = (
    "The address asked for a region that no organisation with an assessment is in, so every "
    "region is shown."
)
_IGNORED_STATUS = (
    "The address asked for a status that an assessment cannot have, so every status is shown."
)
_IGNORED_SORT = (
    "The address asked to sort by a column the table does not have, so it is sorted by "
    "organisation."
)


@dataclass(frozen=True)
class TableQuery:
    """What the admin asked for: the filters ("" is every value) and the sort."""

    kind: str = ""
    region: str = ""
    status: str = ""
    sort: str = DEFAULT_SORT  # a column's key
    descending: bool = False

    @classmethod
    def read(
        cls, params: Mapping[str, str], *, regions: Collection[str]
    ) -> tuple[TableQuery, list[str]]:
        """The query in the address's parameters, and a sentence for each one ignored."""
        ignored = []

        def offered(name: str, values: Collection[str], sentence: str) -> str:
            value = params.get(name, "")
            if value and value not in values:
                ignored.append(sentence)
                return ""
            return value

        kind = offered("type", Organisation.Kind.values, _IGNORED_TYPE)
        region = offered("region", regions, _IGNORED_REGION)
        status = offered("status", Assessment.Status.values, _IGNORED_STATUS)
        sort = params.get("sort", "")
        column, descending = sort.removeprefix("-"), sort.startswith("-")
        if column not in _COLUMNS:
            if sort:
                ignored.append(_IGNORED_SORT)
            column, descending = DEFAULT_SORT, False
        return cls(kind, region, status, column, descending), ignored

    @property
    def filtered(self) -> bool:
        return bool(self.kind or self.region or self.status)

    @property
    def sort_param(self) -> str:
        """`?sort=`'s value, or "" for the table's own order (which the address leaves out)."""
        if (self.sort, self.descending) == (DEFAULT_SORT, False):
            return ""
        return f"-{self.sort}" if self.descending else self.sort

    def unfiltered(self) -> str:
        """The query string with no filters, sorted as now."""
        return replace(self, kind="", region="", status="").address()

    def address(
        self, *, sort: str | None = None, descending: bool | None = None, page: int = 1
    ) -> str:
        """The query string of this query, sorted otherwise if asked and on `page`, leaving out
        what is as it would be anyway, so that addresses stay short and alike."""
        query = replace(
            self,
            sort=self.sort if sort is None else sort,
            descending=self.descending if descending is None else descending,
        )
        params = {
            "type": query.kind,
            "region": query.region,
            "status": query.status,
            "sort": query.sort_param,
            "page": str(page) if page > 1 else "",
        }
        return "?" + urlencode({k: v for k, v in params.items() if v})

    def headings(self) -> list[Heading]:
        return [self._heading(column) for column in COLUMNS]

    def _heading(self, column: Column) -> Heading:
        if column.key != self.sort:
            # Sorted by it when chosen: dates newest first, the rest A to Z; from page 1.
            address = self.address(sort=column.key, descending=column.newest_first)
            return Heading(column.heading, address, "none")
        return Heading(
            column.heading,
            self.address(descending=not self.descending),
            "descending" if self.descending else "ascending",
        )

    def pagination(self, page: Page) -> Pagination | None:
        """The GOV.UK pagination under the table, None when there is one page: the previous and
        next pages, and numbered links to the first and last, this one and those either side of
        it, with gaps (`number` None) for the pages left out."""
        if page.paginator.num_pages < 2:
            return None
        numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        return Pagination(
            previous=self.address(page=page.number - 1) if page.has_previous() else "",
            next=self.address(page=page.number + 1) if page.has_next() else "",
            links=[
                PageLink(number, self.address(page=number), number == page.number)
                if isinstance(number, int)
                else PageLink(None, "", False)
                for number in numbers
            ],
        )


@dataclass(frozen=True)
class Heading:
    """A column's heading: a link that sorts by it, and its `aria-sort` ("none" except on the
    column the table is sorted by)."""

    text: str
    address: str
    aria_sort: str


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap, for pages left out
    address: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    previous: str  # the previous page's address, "" on the first
    next: str  # the next page's address, "" on the last
    links: list[PageLink]


def page_of(rows: QuerySet[Assessment], number: str | None) -> Page:
    """One page of the rows: page 1 for a number that is not one, the last for one too big."""
    return Paginator(rows, PAGE_SIZE).get_page(number)


def regions() -> list[str]:
    """The regions of the organisations that have an assessment, A to Z: one query."""
    return list(
        Organisation.objects.filter(assessments__isnull=False)
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def assessment_rows(assessments: QuerySet[Assessment], query: TableQuery) -> QuerySet[Assessment]:
    """`assessments` filtered and sorted as `query` asks, each with its organisation and edition
    and its `last_change`: one query for any slice of it."""
    rows = assessments.select_related("organisation", "edition").annotate(last_change=last_change())
    if query.kind:
        rows = rows.filter(organisation__kind=query.kind)
    if query.region:
        rows = rows.filter(organisation__region=query.region)
    if query.status:
        rows = rows.filter(status=query.status)
    chosen = _ORDER[query.sort]
    # Then by organisation, latest edition first: ties keep one order from page to page.
    return rows.order_by(
        chosen.desc() if query.descending else chosen.asc(),
        Lower("organisation__name").asc(),
        F("edition__year").desc(),
        F("pk").asc(),
    )


def last_change() -> Greatest:
    """The latest of an assessment's answers' saves and its milestones, as an expression."""
    answered = Answer.objects.filter(assessment=OuterRef("pk")).order_by("-updated_at")
    events = AssessmentEvent.objects.filter(assessment=OuterRef("pk")).order_by("-at")
    # Coalesce: GREATEST is NULL if any argument is on SQLite, and none is on PostgreSQL.
    return Greatest(
        Coalesce(Subquery(answered.values("updated_at")[:1]), F("created_at")),
        Coalesce(Subquery(events.values("at")[:1]), F("created_at")),
    )


def _by_label(field: str, choices: Sequence[tuple[str, str]]) -> Case:
    """Sorts a choice field by what the page shows (its label), not by the stored code."""
    return Case(
        *(When(**{field: value}, then=Value(label)) for value, label in choices),
        default=F(field),
        output_field=CharField(),
    )


_ORDER: dict[str, Lower | F | Case] = {
    "organisation": Lower("organisation__name"),
    "edition": F("edition__year"),
    "type": _by_label("organisation__kind", Organisation.Kind.choices),
    "region": Lower("organisation__region"),
    "status": _by_label("status", Assessment.Status.choices),
    "last_change": F("last_change"),
}
