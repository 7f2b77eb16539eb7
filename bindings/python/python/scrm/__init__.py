"""scrm: an embeddable social CRM engine.

One person seen on WeChat, Weibo, phone and email becomes one customer; every view, message,
share and purchase lands in a two-way event log; segments, tags and rules are computed over
them. This package is a thin binding of the Rust core: every method of :class:`Engine` has the
name of the Rust method it calls.

Conventions:

* Results are plain ``dict`` and ``list`` objects whose keys are the Rust field names (see the
  ``TypedDict`` definitions in the type stubs); enum values are their snake_case names
  (``"inbound"``, ``"kept_apart"``).
* Table-shaped results (``scores``, ``rfm``, ``pagerank``, ``communities``, ``query``,
  ``segment_members``, ``ledger``, ``churn_table``, ...) are a :class:`Table` of Arrow columns
  named like those keys: ``pyarrow.table(t)``, ``polars.DataFrame(t)``, DuckDB and
  ``t.to_pandas()`` take it without a Python object per row (the Arrow PyCapsule interface);
  ``t["ids"]`` is a column as a list and ``t.to_dict()`` the dict of lists.
* Times are ``datetime`` objects. Times returned are in UTC (``tzinfo=datetime.timezone.utc``).
  Times given must be timezone-aware (any timezone); a naive ``datetime`` raises
  :class:`ValidationError`, as does any time outside 1900-01-01..3000-01-01 UTC.
* Attribute and property values are ``str``, ``int``, ``float``, ``bool``, ``datetime`` or a
  list of ``str``.
* Errors are :class:`ScrmError` subclasses carrying ``code``, ``field``, ``line``, ``column``.
* Every engine call releases the GIL: one engine can serve several Python threads.
* Tables: ``upsert_customers_frame`` and ``record_events_frame`` take a pandas or polars
  DataFrame, a pyarrow Table (read through the Arrow PyCapsule interface) or a dict of
  column lists; so does ``add_edges`` (as well as a list of edges).
* The relationship graph: edges (``add_edge``, ``edges_of``, ``neighbours``), walks
  (``reach``, ``shortest_path``, ``downline``, ``upline``) and analytics (``pagerank``,
  ``communities``, ...), whose results are tables. Edge kinds are in
  :mod:`scrm.edge_kinds`.
* Referral programmes: ``set_referral_policy``, ``define_programme``, invite codes
  (``issue_code``, ``redeem_code``), held referrals (``approve_referral``,
  ``reject_referral``) and the points ledger (``balance``, ``ledger``, ``redeem_points``, ...).
  Rewards are granted as ``record_events`` ingests trigger events; a refund is an event of kind
  :data:`REFUND` whose property :data:`REFUNDED` is the refunded purchase's idempotency key.
  ``ledger`` and ``referral_leaderboard`` return tables.
* Lifecycle: engagement scores (``set_scoring``, ``score``, ``scores``), ``rfm``, stage
  ladders (``define_ladder``, ``enable_ladder`` for the built-in ``brand`` and ``commercial``,
  ``stage``, ``stage_history``, ``moved``), the churn model (``purchase_summaries``,
  ``fit_churn_model``, ``churn_table``) and measures (``funnel``, ``activity_rate``,
  ``entries_per_month``, ``cohort_retention``). A period is a ``datetime.timedelta`` or a
  number of days.
* The lifecycle models as pure functions, for summaries from anywhere (a DataFrame in
  lifetimes' shape, ``purchase_summaries()``, ``simulate()``): ``fit_bgnbd``,
  ``fit_gamma_gamma``, ``predict`` (P(alive), expected purchases, value per purchase and
  CLV as a table), ``expected_purchases_new`` and ``simulate``.

Example::

    import datetime as dt
    import scrm

    with scrm.Engine() as engine:  # or scrm.Engine("crm.scrm") for a durable store
        engine.upsert_customer("m-1001", attributes={"city": "Shanghai"},
                               identities=[("phone", "+86 138 0013 8000")])
        engine.upsert_customer("wx-o6_abc", anonymous=True,
                               identities=[("wechat_openid", "o6_abc")])
        engine.record_event("wx-o6_abc", scrm.kinds.VIEW, "wechat",
                            dt.datetime.now(dt.timezone.utc))
        outcome = engine.upsert_customer("wx-o6_abc",
                                         identities=[("phone", "0086 138-0013-8000")])
        assert outcome["id"] == "m-1001"
"""

import sys as _sys

from ._scrm import (
    MAX_EXPRESSION_LEN,
    MAX_ID_LEN,
    MAX_IDENTITY_LEN,
    MAX_KEY_LEN,
    MAX_LEVELS,
    MAX_NAME_LEN,
    MAX_NOTE_LEN,
    MAX_POINTS,
    MAX_STRING_LEN,
    MAX_TAG_LEN,
    REFUND,
    REFUNDED,
    ConflictError,
    Engine,
    NotFoundError,
    ScrmError,
    SegmentSyntaxError,
    SegmentTypeError,
    StoreError,
    Table,
    ValidationError,
    __version__,
    edge_kinds,
    expected_purchases_new,
    fit_bgnbd,
    fit_gamma_gamma,
    format_segment,
    kinds,
    predict,
    simulate,
)

# Make `import scrm.kinds` work as well as `scrm.kinds.VIEW` (and so for edge_kinds).
_sys.modules[__name__ + ".kinds"] = kinds
_sys.modules[__name__ + ".edge_kinds"] = edge_kinds

__all__ = [
    "ConflictError",
    "Engine",
    "MAX_EXPRESSION_LEN",
    "MAX_IDENTITY_LEN",
    "MAX_ID_LEN",
    "MAX_KEY_LEN",
    "MAX_LEVELS",
    "MAX_NAME_LEN",
    "MAX_NOTE_LEN",
    "MAX_POINTS",
    "MAX_STRING_LEN",
    "MAX_TAG_LEN",
    "NotFoundError",
    "REFUND",
    "REFUNDED",
    "ScrmError",
    "SegmentSyntaxError",
    "SegmentTypeError",
    "StoreError",
    "Table",
    "ValidationError",
    "__version__",
    "edge_kinds",
    "expected_purchases_new",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "format_segment",
    "kinds",
    "predict",
    "simulate",
]
