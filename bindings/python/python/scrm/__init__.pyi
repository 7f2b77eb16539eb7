"""Type stubs for the scrm package (the native module scrm._scrm, re-exported).

The TypedDict classes below exist only for type checkers: at run time results are plain
dicts with exactly these keys, or a :class:`Table` whose ``to_dict()`` has them (a
``Table[ScoreTable]``). Import them under ``typing.TYPE_CHECKING``.
"""

import datetime
import os
import pathlib
from types import ModuleType, TracebackType
from typing import (
    Any,
    Dict,
    Generic,
    Iterable,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypedDict,
    TypeVar,
    Union,
)

__version__: str

MAX_ID_LEN: int
MAX_STRING_LEN: int
MAX_IDENTITY_LEN: int
MAX_KEY_LEN: int
MAX_NAME_LEN: int
MAX_TAG_LEN: int
MAX_NOTE_LEN: int
MAX_EXPRESSION_LEN: int
MAX_POINTS: int
"""Most points one reward (or one adjustment) may carry."""
MAX_LEVELS: int
"""Deepest referral chain a programme may reward (entries of `level_percents`)."""

REFUND: str
"""Event kind of refunds ("refund"): a refund event whose property REFUNDED names a purchase's
idempotency key voids the referral that purchase converted and takes its rewards back."""
REFUNDED: str
"""The property of a refund event naming the refunded purchase ("purchase")."""

kinds: ModuleType
"""Well-known event kinds: VIEW, CLICK, MESSAGE, COMMENT, SHARE, PURCHASE, SIGNUP, FOLLOW,
SURVEY (any other kind name is allowed too)."""

edge_kinds: ModuleType
"""Built-in edge kinds: REFERRED ("referred", referrer -> referred, at most one referrer per
customer), FOLLOWS, FRIEND and COLLEAGUE (mutual: both directions), INTERACTED (made by events
with a target; cannot be put by hand). Any other kind name is a custom, directed kind."""

# --- values --------------------------------------------------------------------------------

AttributeValue = Union[str, int, float, bool, datetime.datetime, List[str]]
"""A typed attribute or event property. Datetimes must be timezone-aware."""

AttributeInput = Union[str, int, float, bool, datetime.datetime, Sequence[str]]

IdentityInput = Union["Identity", Tuple[str, str]]
"""An identity as {"channel", "value"} or a (channel, value) pair."""

Direction = Literal["inbound", "outbound"]
TagSource = Literal["manual", "rule", "import"]
ConflictStatus = Literal["open", "merged", "kept_apart"]
ConflictResolution = Literal["merge", "keep_apart"]
EdgeDirection = Literal["out", "in", "both"]
"""Which edges a walk follows: leaving the customer, entering it, or both (as undirected)."""
ReferralStatus = Literal["pending", "approved", "flagged", "voided"]
HoldReason = Literal["self_referral", "ring", "velocity", "existing_referee"]
EntryKind = Literal["earn", "redeem", "expire", "reverse", "adjust"]

# --- inputs --------------------------------------------------------------------------------

class _CustomerRecordBase(TypedDict):
    id: str

class CustomerRecord(_CustomerRecordBase, total=False):
    """An item of upsert_customers(): the keyword arguments of upsert_customer()."""

    anonymous: Optional[bool]
    attributes: Optional[Mapping[str, AttributeInput]]
    remove_attributes: Optional[Sequence[str]]
    identities: Optional[Sequence[IdentityInput]]
    at: Optional[datetime.datetime]

class _EventRecordBase(TypedDict):
    customer: str
    kind: str
    channel: str
    at: datetime.datetime

class EventRecord(_EventRecordBase, total=False):
    """An item of record_events(): the arguments of record_event()."""

    direction: Optional[Direction]
    amount: Optional[float]
    target: Optional[str]
    properties: Optional[Mapping[str, AttributeInput]]
    idempotency_key: Optional[str]

class _EdgeRecordBase(TypedDict):
    source: str
    target: str
    kind: str

class EdgeRecord(_EdgeRecordBase, total=False):
    """An item of add_edges(): the arguments of add_edge()."""

    weight: Optional[float]
    at: Optional[datetime.datetime]

EdgeInput = Union[
    EdgeRecord,
    Tuple[str, str, str],
    Tuple[str, str, str, Optional[float]],
    Tuple[str, str, str, Optional[float], Optional[datetime.datetime]],
]
"""An edge as a dict or a (source, target, kind[, weight[, at]]) tuple."""

TriggerInput = Union[
    Literal["signup", "first_purchase"], Mapping[str, Union[float, str]], "Trigger"
]
"""What pays: "signup", "first_purchase", {"purchase": min_amount}, {"event": kind}, or the
core's form that programmes() returns ({"type": "purchase", "min_amount": 100.0})."""

MilestoneInput = Union["Milestone", Tuple[int, int]]
"""A milestone as {"referrals", "points"} or a (referrals, points) pair."""

class CapsInput(TypedDict, total=False):
    """A programme's caps, in points; a key left out (or None) is no cap."""

    per_referrer_day: Optional[int]
    per_referrer_month: Optional[int]
    budget: Optional[int]

class Allowance(TypedDict):
    """A limit on what one customer earns across every programme."""

    limit: int
    unit: Literal["rewards", "points"]
    window: Literal["calendar_month", "calendar_year", "rolling_month", "rolling_year", "lifetime"]

class IdentityConfig(TypedDict, total=False):
    default_country_code: Optional[str]

class MergePolicy(TypedDict, total=False):
    on_collision: Literal["merge", "reject"]
    identified: Literal["merge", "flag"]
    default_strategy: Literal["newest", "oldest", "sum", "first_non_empty", "union"]
    strategies: Dict[str, Literal["newest", "oldest", "sum", "first_non_empty", "union"]]

class EngineConfig(TypedDict, total=False):
    """The core's EngineConfig as a dict."""

    identity: IdentityConfig
    merge: MergePolicy

# --- results -------------------------------------------------------------------------------

class Identity(TypedDict):
    channel: str
    value: str

class UpsertOutcome(TypedDict):
    id: str
    created: bool
    merged: List[str]
    conflicts: List[int]

class Activity(TypedDict):
    first_seen: Optional[datetime.datetime]
    last_seen: Optional[datetime.datetime]
    inbound: int
    outbound: int
    counts: Dict[str, int]
    total_amount: float

class Customer(TypedDict):
    id: str
    index: int
    anonymous: bool
    attributes: Dict[str, AttributeValue]
    identities: List[Identity]
    tags: List[str]
    merged_ids: List[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    activity: Activity

class MergeReason(TypedDict, total=False):
    """{"type": "shared_identity", "channel", "value"}, {"type": "manual", "note"} or
    {"type": "conflict_resolved", "conflict"}."""

    type: Literal["shared_identity", "manual", "conflict_resolved"]
    channel: str
    value: str
    note: str
    conflict: int

class MergeRecord(TypedDict):
    survivor: str
    merged: str
    at: datetime.datetime
    actor: str
    reason: MergeReason

class IdentityConflict(TypedDict):
    id: int
    channel: str
    value: str
    owner: str
    claimant: str
    at: datetime.datetime
    status: ConflictStatus

class Event(TypedDict):
    seq: int
    customer: str
    kind: str
    channel: str
    direction: Direction
    at: datetime.datetime
    amount: Optional[float]
    target: Optional[str]
    properties: Dict[str, AttributeValue]
    idempotency_key: Optional[str]

class IngestReport(TypedDict):
    inserted: int
    duplicates: int

class Stats(TypedDict):
    customers: int
    merged: int
    identities: int
    events: int
    open_conflicts: int
    tag_index_bytes: int
    edges: int
    graph_snapshot_bytes: int

class TagReport(TypedDict):
    customers: int
    changed: int

class TagAssignment(TypedDict):
    tag: str
    set_at: datetime.datetime
    source: TagSource

class TagCount(TypedDict):
    tag: str
    customers: int

class SegmentPage(TypedDict):
    """`Table.to_dict()` of a page of members: column `ids` and the scalar `total`."""

    total: int
    ids: List[str]

class ExplainStep(TypedDict):
    depth: int
    node: str
    matched: bool
    observed: str

class Explanation(TypedDict):
    customer: str
    expression: str
    matched: bool
    steps: List[ExplainStep]

class SavedSegmentInfo(TypedDict):
    name: str
    expression: str
    members: int
    timed: bool

class TagRuleInfo(TypedDict):
    tag: str
    expression: str
    members: int
    timed: bool

class SegmentChanges(TypedDict):
    entered: List[str]
    left: List[str]

class Edge(TypedDict):
    source: str
    target: str
    kind: str
    weight: float
    created_at: datetime.datetime

class EdgeReport(TypedDict):
    inserted: int
    updated: int

class Ranking(TypedDict):
    """`Table.to_dict()` of a ranking: columns `ids` and `scores` (highest first), one row
    per customer, and the scalar `iterations`."""

    ids: List[str]
    scores: List[float]
    iterations: int

class CommunityReport(TypedDict):
    """`Table.to_dict()` of communities: columns `ids` and `communities` (creation order), one
    row per customer, and the scalars `count` and `modularity`."""

    ids: List[str]
    communities: List[int]
    count: int
    modularity: float

class Upline(TypedDict):
    chain: List[str]
    cycle: bool

class Trigger(TypedDict, total=False):
    """{"type": "signup"}, {"type": "first_purchase"}, {"type": "purchase", "min_amount"} or
    {"type": "event", "kind"}."""

    type: Literal["signup", "first_purchase", "purchase", "event"]
    min_amount: float
    kind: str

class Caps(TypedDict):
    per_referrer_day: Optional[int]
    per_referrer_month: Optional[int]
    budget: Optional[int]

class Milestone(TypedDict):
    referrals: int
    points: int

class Programme(TypedDict):
    """The keys are define_programme()'s parameters: `define_programme(**programme)`."""

    name: str
    campaign: Optional[str]
    trigger: Trigger
    referrer_points: int
    referee_points: int
    level_percents: List[int]
    caps: Caps
    starts_at: Optional[datetime.datetime]
    ends_at: Optional[datetime.datetime]
    expiry_days: Optional[int]
    milestones: List[Milestone]

class ReferralPolicy(TypedDict):
    """The keys are set_referral_policy()'s parameters."""

    code_length: int
    new_customer_hours: int
    reject_existing_referees: bool
    max_redemptions_per_hour: int
    approval_delay_hours: int
    allowance: Optional[Allowance]

class InviteCode(TypedDict):
    code: str
    customer: str
    campaign: Optional[str]
    issued_at: datetime.datetime

class Referral(TypedDict):
    id: int
    referrer: str
    referee: str
    code: str
    campaign: Optional[str]
    redeemed_at: datetime.datetime
    status: ReferralStatus
    hold: Optional[HoldReason]
    approve_at: Optional[datetime.datetime]

class Balance(TypedDict):
    balance: int
    spendable: int
    pending: int
    expiring_30d: int

class LedgerTable(TypedDict):
    """Aligned columns, one item per ledger entry, oldest first."""

    id: List[int]
    customer: List[str]
    kind: List[EntryKind]
    points: List[int]
    at: List[datetime.datetime]
    expires_at: List[Optional[datetime.datetime]]
    programme: List[Optional[str]]
    referral: List[Optional[int]]
    offsets: List[Optional[int]]
    reason: List[str]

class LeaderboardTable(TypedDict):
    """Aligned columns, one item per referrer, best first; one row per referrer."""

    customer: List[str]
    referrals: List[int]
    converted: List[int]
    points: List[int]

class ReferralFunnel(TypedDict):
    codes_issued: int
    redeemed: int
    converted: int
    redemption_rate: float
    conversion_rate: float
    k_factor: float
    cost: int

# --- lifecycle -----------------------------------------------------------------------------

Period = Union[datetime.timedelta, float]
"""A period: a `timedelta`, or a number of days (`1` is a day, `1 / 24` an hour)."""

class EventWeight(TypedDict):
    kind: str
    direction: Direction
    weight: float

class ScoringConfig(TypedDict):
    """The keys are set_scoring()'s parameters."""

    weights: List[EventWeight]
    half_life_days: float

WeightInput = Union[EventWeight, Mapping[str, Any], Tuple[str, float], Tuple[str, float, str]]
StageInput = Union[str, Tuple[str, str], Mapping[str, str]]

class ScoreTable(TypedDict):
    """Aligned columns, creation order: one row per customer."""

    ids: List[str]
    scores: List[float]

RfmSegment = Literal[
    "champions", "loyal", "potential_loyalists", "new", "at_risk", "cannot_lose",
    "hibernating", "lost",
]

class RfmTable(TypedDict):
    """Aligned columns, one row per buyer."""

    ids: List[str]
    recency_days: List[float]
    frequency: List[int]
    monetary: List[float]
    r: List[int]
    f: List[int]
    m: List[int]
    segment: List[RfmSegment]

class LadderInfo(TypedDict):
    name: str
    stages: List[str]
    rules: List[str]
    built_in: bool
    counts: List[int]

# "from" is a Python keyword: the functional form.
StageMove = TypedDict(
    "StageMove", {"customer": str, "from": str, "to": str, "at": datetime.datetime}
)

class StageTimes(TypedDict):
    """Aligned columns: seconds spent at each stage."""

    stages: List[str]
    seconds: List[float]

class MovedTable(TypedDict):
    """Aligned columns, oldest first."""

    ids: List[str]
    at: List[datetime.datetime]

class SummaryTable(TypedDict):
    """Aligned columns, one item per buyer (lifetimes' summary shape, `t` for `T`)."""

    ids: List[str]
    frequency: List[float]
    recency: List[float]
    t: List[float]
    monetary: List[float]

class BgNbd(TypedDict):
    r: float
    alpha: float
    a: float
    b: float

class GammaGamma(TypedDict):
    p: float
    q: float
    v: float

class LogLikelihood(TypedDict):
    total: float
    mean: float
    customers: int

class BgNbdFit(TypedDict):
    model: BgNbd
    log_likelihood: LogLikelihood
    iterations: int

class GammaGammaFit(TypedDict):
    model: GammaGamma
    log_likelihood: LogLikelihood
    iterations: int

class Predictions(TypedDict):
    """Aligned columns, one item per summary given."""

    p_alive: List[float]
    expected_purchases: List[float]
    expected_average_value: List[float]
    clv: List[float]

class PurchaseSummaries(TypedDict):
    """Aligned columns, one item per customer (simulate()'s output)."""

    frequency: List[float]
    recency: List[float]
    t: List[float]
    monetary: List[float]

class ChurnModel(TypedDict):
    purchases: BgNbd
    spend: GammaGamma
    calibration_end: datetime.datetime
    period_micros: int
    customers: int
    clv_periods: int
    discount_rate: float

class ChurnTable(TypedDict):
    """Aligned columns, one row per buyer."""

    ids: List[str]
    p_alive: List[float]
    expected_purchases: List[float]
    clv: List[float]

class Funnel(TypedDict):
    """Per-stage lists; `conversion` is one item shorter (stage k to stage k + 1)."""

    stages: List[str]
    customers: List[int]
    reached: List[int]
    entered: List[int]
    conversion: List[float]

class ActivityRate(TypedDict):
    members: int
    active: int
    rate: float

class MonthlyCounts(TypedDict):
    """Aligned columns; months as "2026-01"."""

    months: List[str]
    counts: List[int]

class CohortRetention(TypedDict):
    """Aligned columns, one item per cohort; `retention[i]` is cohort i's shares for month
    offsets 0..months (NaN after the clock)."""

    cohorts: List[str]
    sizes: List[int]
    retention: List[List[float]]

# --- tables --------------------------------------------------------------------------------

_Shape = TypeVar("_Shape")

class Table(Generic[_Shape]):
    """A table-shaped result: named Arrow columns, one row per item.

    `pyarrow.table(t)`, `polars.DataFrame(t)`, `pandas.DataFrame.from_arrow(t)` and DuckDB read
    it without a Python object per row (the Arrow PyCapsule interface). `_Shape` is the
    TypedDict of `to_dict()`: the columns as lists, plus any scalars (`total`, `iterations`,
    `count`, `modularity`), which `t["name"]` gives too.
    """

    def __class_getitem__(cls, item: Any) -> Any: ...
    def __len__(self) -> int:
        """Number of rows."""
    @property
    def columns(self) -> List[str]:
        """The column names, in order."""
    def __getitem__(self, name: str) -> Any:
        """A column as a list (None for nulls), or a scalar; KeyError for other names."""
    def to_dict(self) -> _Shape:
        """Every column as a list, and the scalars."""
    def to_arrow(self) -> Any:
        """A `pyarrow.Table` (zero-copy); needs pyarrow."""
    def to_pandas(self) -> Any:
        """A `pandas.DataFrame`, through pyarrow; needs pandas and pyarrow."""
    def to_polars(self) -> Any:
        """A `polars.DataFrame` (zero-copy); needs polars."""
    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_array__(self, requested_schema: Optional[object] = None) -> Tuple[object, object]: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    @property
    def _exports(self) -> int:
        """Exported Arrow structs still sharing the buffers (0 once all are released)."""
    def _repr_html_(self) -> str: ...
    def __repr__(self) -> str: ...

# --- errors --------------------------------------------------------------------------------

class ScrmError(Exception):
    """Base of every scrm error."""

    code: Optional[str]
    field: Optional[str]
    line: Optional[int]
    column: Optional[int]

class ValidationError(ScrmError):
    """An input value was rejected; `field` is its path (naive datetimes too)."""

class NotFoundError(ScrmError):
    """A customer, conflict, saved segment, tag rule, invite code or referral does not exist."""

class ConflictError(ScrmError):
    """The request contradicts the current state."""

class SegmentSyntaxError(ScrmError):
    """A segment expression does not follow the grammar; see `line` and `column`."""

class SegmentTypeError(ScrmError):
    """A segment comparison does not fit the attribute's values; see `line` and `column`."""

class StoreError(ScrmError):
    """The embedded store failed or is not usable, or the engine is closed."""

# --- functions and the engine --------------------------------------------------------------

def format_segment(text: str) -> str:
    """Formats a segment expression in canonical form; raises SegmentSyntaxError."""

def fit_bgnbd(
    summaries: Union[Any, Mapping[str, Sequence[float]]],
    *,
    penalizer: Optional[float] = None,
    max_iterations: Optional[int] = None,
    tolerance: Optional[float] = None,
) -> BgNbdFit:
    """Fits BG/NBD to purchase summaries (columns frequency, recency, t or T, monetary)."""

def fit_gamma_gamma(
    summaries: Union[Any, Mapping[str, Sequence[float]]],
    *,
    penalizer: Optional[float] = None,
    max_iterations: Optional[int] = None,
    tolerance: Optional[float] = None,
) -> GammaGammaFit:
    """Fits Gamma-Gamma to the summaries of customers with repeat purchases."""

def predict(
    purchases: BgNbd,
    spend: GammaGamma,
    summaries: Union[Any, Mapping[str, Sequence[float]]],
    *,
    periods: Optional[float] = None,
    clv_periods: Optional[int] = None,
    discount_rate: Optional[float] = None,
) -> Table[Predictions]:
    """P(alive), expected purchases, expected value per purchase and CLV per summary."""

def expected_purchases_new(purchases: BgNbd, t: float) -> float:
    """Expected repeat purchases of a new customer in its first `t` time units."""

def simulate(
    purchases: BgNbd,
    customers: int,
    t_cal: float,
    *,
    spend: Optional[GammaGamma] = None,
    seed: int = 0,
) -> Table[PurchaseSummaries]:
    """`customers` summaries drawn from the models, the same for the same seed."""

class Engine:
    """The social CRM engine: in memory when `path` is None, else a durable store file."""

    def __init__(
        self,
        path: Optional[Union[str, os.PathLike]] = None,
        config: Optional[EngineConfig] = None,
    ) -> None: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def path(self) -> Optional[pathlib.Path]: ...
    @property
    def config(self) -> EngineConfig: ...
    def _repr_html_(self) -> str: ...
    def __enter__(self) -> "Engine": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

    # customers and identities
    def upsert_customer(
        self,
        id: str,
        *,
        anonymous: Optional[bool] = None,
        attributes: Optional[Mapping[str, AttributeInput]] = None,
        remove_attributes: Optional[Sequence[str]] = None,
        identities: Optional[Sequence[IdentityInput]] = None,
        at: Optional[datetime.datetime] = None,
    ) -> UpsertOutcome: ...
    def upsert_customers(self, customers: Iterable[CustomerRecord]) -> List[UpsertOutcome]: ...
    def upsert_customers_frame(
        self,
        frame: Union[Any, Mapping[str, Sequence[Any]]],
        *,
        identities: Optional[Union[Mapping[str, str], Sequence[str]]] = None,
    ) -> List[UpsertOutcome]: ...
    def customer(self, id: str) -> Customer: ...
    def contains(self, id: str) -> bool: ...
    def customer_ids(self) -> List[str]: ...
    def lookup_identity(self, channel: str, value: str) -> Optional[str]: ...

    # merges and conflicts
    def merge_customers(
        self,
        survivor: str,
        merged: str,
        actor: str,
        note: str = "",
        at: Optional[datetime.datetime] = None,
    ) -> Optional[MergeRecord]: ...
    def merge_history(self, id: str) -> List[MergeRecord]: ...
    def merges(self) -> List[MergeRecord]: ...
    def conflicts(self, status: Optional[ConflictStatus] = None) -> List[IdentityConflict]: ...
    def resolve_conflict(
        self, id: int, resolution: ConflictResolution, actor: str
    ) -> IdentityConflict: ...

    # events
    def record_event(
        self,
        customer: str,
        kind: str,
        channel: str,
        at: datetime.datetime,
        *,
        direction: Direction = "inbound",
        amount: Optional[float] = None,
        target: Optional[str] = None,
        properties: Optional[Mapping[str, AttributeInput]] = None,
        idempotency_key: Optional[str] = None,
    ) -> IngestReport: ...
    def record_events(self, events: Iterable[EventRecord]) -> IngestReport: ...
    def record_events_frame(self, frame: Union[Any, Mapping[str, Sequence[Any]]]) -> IngestReport: ...
    def events_of(self, id: str) -> List[Event]: ...
    def stats(self) -> Stats: ...

    # clock
    def now(self) -> datetime.datetime: ...
    def set_clock(self, at: Optional[datetime.datetime] = None) -> None: ...

    # tags
    def tag_customers(
        self, ids: Sequence[str], tags: Sequence[str], source: TagSource = "manual"
    ) -> TagReport: ...
    def untag_customers(self, ids: Sequence[str], tags: Sequence[str]) -> TagReport: ...
    def tag_segment(
        self, expression: str, tags: Sequence[str], source: TagSource = "manual"
    ) -> TagReport: ...
    def untag_segment(self, expression: str, tags: Sequence[str]) -> TagReport: ...
    def tags_of(self, id: str) -> List[TagAssignment]: ...
    def tag_counts(self) -> List[TagCount]: ...

    # segments
    def count(self, expression: str) -> int: ...
    def query(self, expression: str, offset: int = 0, limit: Optional[int] = None) -> Table[SegmentPage]: ...
    def explain(self, id: str, expression: str) -> Explanation: ...
    def save_segment(self, name: str, expression: str) -> SavedSegmentInfo: ...
    def drop_segment(self, name: str) -> None: ...
    def saved_segments(self) -> List[SavedSegmentInfo]: ...
    def segment_members(
        self, name: str, offset: int = 0, limit: Optional[int] = None
    ) -> Table[SegmentPage]: ...
    def segment_changes(self, name: str) -> SegmentChanges: ...
    def checkpoint_segment(self, name: str) -> SegmentChanges: ...

    # tag rules
    def add_tag_rule(self, tag: str, expression: str) -> TagRuleInfo: ...
    def drop_tag_rule(self, tag: str) -> None: ...
    def tag_rules(self) -> List[TagRuleInfo]: ...
    def refresh(self) -> None: ...

    # relationship graph: edges
    def add_edge(
        self,
        source: str,
        target: str,
        kind: str,
        *,
        weight: Optional[float] = None,
        at: Optional[datetime.datetime] = None,
    ) -> EdgeReport: ...
    def add_edges(
        self, edges: Union[Iterable[EdgeInput], Any, Mapping[str, Sequence[Any]]]
    ) -> EdgeReport: ...
    def remove_edge(self, source: str, target: str, kind: str) -> bool: ...
    def edges_of(
        self, id: str, direction: EdgeDirection = "both", kinds: Optional[Sequence[str]] = None
    ) -> List[Edge]: ...
    def neighbours(
        self, id: str, direction: EdgeDirection = "both", kinds: Optional[Sequence[str]] = None
    ) -> List[str]: ...
    def degree(
        self, id: str, direction: EdgeDirection = "both", kinds: Optional[Sequence[str]] = None
    ) -> int: ...

    # relationship graph: walks
    def reach(
        self,
        id: str,
        hops: int,
        direction: EdgeDirection = "both",
        kinds: Optional[Sequence[str]] = None,
    ) -> List[str]: ...
    def shortest_path(
        self,
        source: str,
        target: str,
        direction: EdgeDirection = "both",
        kinds: Optional[Sequence[str]] = None,
    ) -> Optional[List[str]]: ...
    def downline(self, id: str, depth: int) -> List[List[str]]: ...
    def upline(self, id: str) -> Upline: ...

    # relationship graph: analytics
    def pagerank(
        self,
        kinds: Optional[Sequence[str]] = None,
        reversed: Optional[Sequence[str]] = None,
        damping: float = 0.85,
        weighted: bool = True,
        tol: float = 1e-6,
        max_iter: int = 100,
    ) -> Table[Ranking]:
        """PageRank; `reversed=None` is ["referred"] (the influence selection)."""
    def personalized_pagerank(
        self,
        seeds: Sequence[str],
        kinds: Optional[Sequence[str]] = None,
        reversed: Optional[Sequence[str]] = None,
        damping: float = 0.85,
        weighted: bool = True,
        tol: float = 1e-6,
        max_iter: int = 100,
    ) -> Table[Ranking]: ...
    def influencers(self, n: int) -> Table[Ranking]: ...
    def advocates(self, n: int) -> Table[Ranking]: ...
    def communities(
        self,
        kinds: Optional[Sequence[str]] = None,
        reversed: Optional[Sequence[str]] = None,
        resolution: float = 1.0,
        seed: int = 0,
    ) -> Table[CommunityReport]: ...
    def strongly_connected_components(
        self,
        kinds: Optional[Sequence[str]] = None,
        reversed: Optional[Sequence[str]] = None,
    ) -> Table[CommunityReport]: ...
    def referral_rings(self) -> List[List[str]]: ...

    # referral programmes
    def set_referral_policy(
        self,
        *,
        code_length: Optional[int] = None,
        new_customer_hours: Optional[int] = None,
        reject_existing_referees: Optional[bool] = None,
        max_redemptions_per_hour: Optional[int] = None,
        approval_delay_hours: Optional[int] = None,
        allowance: Optional[Allowance] = None,
    ) -> None:
        """Replaces the policy; None takes the core's default (8, 24, False, 20, 0, None)."""
    def referral_policy(self) -> ReferralPolicy: ...
    def define_programme(
        self,
        name: str,
        trigger: TriggerInput,
        referrer_points: int,
        *,
        referee_points: int = 0,
        level_percents: Optional[Sequence[int]] = None,
        caps: Optional[CapsInput] = None,
        starts_at: Optional[datetime.datetime] = None,
        ends_at: Optional[datetime.datetime] = None,
        expiry_days: Optional[int] = None,
        milestones: Optional[Sequence[MilestoneInput]] = None,
        campaign: Optional[str] = None,
    ) -> Programme:
        """Defines or replaces a programme; `level_percents=None` is [100]."""
    def programmes(self) -> List[Programme]: ...
    def issue_code(self, customer: str, campaign: Optional[str] = None) -> InviteCode: ...
    def lookup_code(self, code: str) -> InviteCode: ...
    def redeem_code(self, code: str, referee: str) -> Referral: ...
    def referral(self, id: int) -> Referral: ...
    def referral_of(self, customer: str) -> Optional[Referral]: ...
    def referrals(self, status: Optional[ReferralStatus] = None) -> List[Referral]: ...
    def approve_referral(self, id: int) -> Referral: ...
    def reject_referral(self, id: int) -> Referral: ...

    # points ledger
    def balance(self, customer: str) -> Balance: ...
    def ledger(self, customer: str) -> Table[LedgerTable]: ...
    def redeem_points(self, customer: str, points: int, reason: str) -> Balance: ...
    def adjust_points(self, customer: str, points: int, reason: str) -> Balance: ...
    def expire_points(self) -> int: ...
    def referral_leaderboard(self, n: int) -> Table[LeaderboardTable]: ...
    def referral_funnel(
        self, from_: datetime.datetime, until: datetime.datetime
    ) -> ReferralFunnel: ...

    # lifecycle: engagement scores and RFM
    def set_scoring(
        self,
        *,
        weights: Optional[Sequence[WeightInput]] = None,
        half_life_days: Optional[float] = None,
    ) -> None:
        """Sets the scoring; None takes the core's default weights and 30 days."""
    def scoring(self) -> ScoringConfig: ...
    def score(self, id: str) -> float: ...
    def scores(self) -> Table[ScoreTable]: ...
    def rfm(self) -> Table[RfmTable]: ...

    # lifecycle: stage ladders
    def define_ladder(self, name: str, stages: Sequence[StageInput]) -> LadderInfo: ...
    def enable_ladder(self, name: Literal["brand", "commercial"]) -> LadderInfo: ...
    def ladders(self) -> List[LadderInfo]: ...
    def stage(self, id: str, ladder: str) -> str: ...
    def stage_history(self, id: str, ladder: str) -> List[StageMove]: ...
    def time_in_stages(self, id: str, ladder: str) -> Table[StageTimes]: ...
    def moved(
        self,
        ladder: str,
        from_: str,
        to: str,
        since: datetime.datetime,
        until: datetime.datetime,
    ) -> Table[MovedTable]: ...

    # lifecycle: churn model
    def purchase_summaries(
        self, calibration_end: datetime.datetime, period: Period
    ) -> Table[SummaryTable]: ...
    def fit_churn_model(
        self,
        calibration_end: datetime.datetime,
        period: Period,
        *,
        penalizer: Optional[float] = None,
        max_iterations: Optional[int] = None,
        tolerance: Optional[float] = None,
        clv_periods: Optional[int] = None,
        discount_rate: Optional[float] = None,
    ) -> ChurnModel:
        """Fits and stores the model; None takes the core's default (0, 500, 1e-7, 12, 0.01)."""
    def churn_model(self) -> Optional[ChurnModel]: ...
    def churn_table(self, periods: float) -> Table[ChurnTable]: ...

    # lifecycle: measurement
    def funnel(
        self, ladder: str, since: datetime.datetime, until: datetime.datetime
    ) -> Funnel: ...
    def activity_rate(self, expression: str, days: int) -> ActivityRate: ...
    def entries_per_month(self, ladder: str, stage: str) -> Table[MonthlyCounts]: ...
    def cohort_retention(self, months: int) -> CohortRetention: ...
