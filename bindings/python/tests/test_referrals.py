"""Referral programmes through the binding: the policy and programmes, invite codes and their
redemption, held referrals decided by hand, rewards granted by record_events (double-sided,
three levels, caps, milestones), refunds, the points ledger (FIFO redemption, expiry), the
figures, the errors of each kind, and determinism."""

import datetime as dt
import math

import pytest

import scrm
from conftest import UTC, at

T0 = at(1, 12)


@pytest.fixture
def engine():
    """An engine with its clock at 2026-06-01T12:00Z (customers created now are new)."""
    with scrm.Engine() as e:
        e.set_clock(T0)
        yield e


def customers(engine, *ids):
    engine.upsert_customers([{"id": i} for i in ids])


def refer(engine, referrer, referee, campaign=None):
    code = engine.issue_code(referrer, campaign)["code"]
    return engine.redeem_code(code, referee)


def purchase(customer, amount, key, when=T0):
    return {"customer": customer, "kind": scrm.kinds.PURCHASE, "channel": "app", "at": when,
            "amount": amount, "idempotency_key": key}


def refund(customer, key, when=T0):
    return {"customer": customer, "kind": scrm.REFUND, "channel": "app", "at": when,
            "properties": {scrm.REFUNDED: key}}


def test_constants():
    assert (scrm.REFUND, scrm.REFUNDED) == ("refund", "purchase")
    assert scrm.MAX_POINTS == 10**12 and scrm.MAX_LEVELS == 10


def test_the_policy_has_the_core_defaults_and_is_replaced_whole(engine):
    default = {"code_length": 8, "new_customer_hours": 24, "reject_existing_referees": False,
               "max_redemptions_per_hour": 20, "approval_delay_hours": 0, "allowance": None}
    assert engine.referral_policy() == default
    allowance = {"limit": 2, "unit": "rewards", "window": "calendar_month"}
    engine.set_referral_policy(code_length=10, allowance=allowance)
    assert engine.referral_policy() == {**default, "code_length": 10, "allowance": allowance}
    customers(engine, "a")
    assert len(engine.issue_code("a")["code"]) == 10
    # Arguments left out take the core's defaults again, not the previous values.
    engine.set_referral_policy(max_redemptions_per_hour=2)
    assert engine.referral_policy() == {**default, "max_redemptions_per_hour": 2}
    engine.set_referral_policy(**{**default, "approval_delay_hours": 5})
    assert engine.referral_policy()["approval_delay_hours"] == 5


def test_programmes_in_every_trigger_form_round_trip(engine):
    welcome = engine.define_programme(
        "Welcome", "first_purchase", 1000, referee_points=300, level_percents=[100, 20, 5],
        caps={"per_referrer_month": 5000}, starts_at=at(1), ends_at=at(1, month=9),
        expiry_days=90, milestones=[(5, 2000), {"referrals": 3, "points": 500}],
        campaign="Spring")
    assert welcome == {
        "name": "welcome", "campaign": "spring",
        "trigger": {"type": "first_purchase"},
        "referrer_points": 1000, "referee_points": 300, "level_percents": [100, 20, 5],
        "caps": {"per_referrer_day": None, "per_referrer_month": 5000, "budget": None},
        "starts_at": at(1), "ends_at": at(1, month=9), "expiry_days": 90,
        "milestones": [{"referrals": 3, "points": 500}, {"referrals": 5, "points": 2000}],
    }
    join = engine.define_programme("join", "signup", 10)
    assert (join["level_percents"], join["referee_points"], join["caps"]["budget"]) == ([100], 0, None)
    assert join["milestones"] == [] and join["campaign"] is None
    big = engine.define_programme("big", {"purchase": 100}, 40)
    assert big["trigger"] == {"type": "purchase", "min_amount": 100.0}
    share = engine.define_programme("share", trigger={"event": "Share"}, referrer_points=5)
    assert share["trigger"] == {"type": "event", "kind": "share"}
    core_form = engine.define_programme("x", {"type": "purchase", "min_amount": 5.5}, 1)
    assert core_form["trigger"] == {"type": "purchase", "min_amount": 5.5}
    assert [p["name"] for p in engine.programmes()] == ["welcome", "join", "big", "share", "x"]
    # A programme as returned defines the same programme again (replacing it in place).
    for programme in engine.programmes():
        assert engine.define_programme(**programme) == programme
    assert len(engine.programmes()) == 5


def test_codes_are_issued_once_and_found_in_any_case(engine):
    customers(engine, "ann")
    code = engine.issue_code("ann")
    assert set(code) == {"code", "customer", "campaign", "issued_at"}
    assert (code["customer"], code["campaign"], code["issued_at"]) == ("ann", None, T0)
    assert code["issued_at"].tzinfo is not None
    assert len(code["code"]) == 8 and set(code["code"]) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert engine.issue_code("ann") == code
    spring = engine.issue_code("ann", campaign="Spring")
    assert spring["campaign"] == "spring" and spring["code"] != code["code"]
    typed = (code["code"][:4] + "-" + code["code"][4:]).lower()
    assert engine.lookup_code(typed) == code


def test_a_full_flow_three_levels_refund_fifo_and_expiry(engine):
    import pandas as pd

    customers(engine, "a", "b", "c", "d", "e")
    engine.define_programme("welcome", "first_purchase", 1000, referee_points=300,
                            level_percents=[100, 20, 5], expiry_days=30)
    refer(engine, "a", "b")
    refer(engine, "b", "c")
    to_d = refer(engine, "c", "d")
    to_e = refer(engine, "c", "e")
    assert to_d["status"] == "approved" and to_d["hold"] is None and to_d["approve_at"] == T0
    assert (to_d["referrer"], to_d["referee"], to_d["redeemed_at"]) == ("c", "d", T0)
    assert engine.referral_of("d") == to_d and engine.referral_of("a") is None
    assert engine.referral(to_e["id"]) == to_e
    assert [r["referee"] for r in engine.referrals()] == ["b", "c", "d", "e"]
    assert engine.upline("d")["chain"] == ["c", "b", "a"]

    report = engine.record_events([purchase("d", 50.0, "p-d"), purchase("d", 80.0, "p-d2"),
                                   purchase("e", 20.0, "p-e")])
    assert report == {"inserted": 3, "duplicates": 0}
    assert engine.record_events([purchase("d", 50.0, "p-d")])["duplicates"] == 1

    def spendable():
        return {i: engine.balance(i)["spendable"] for i in "abcde"}

    assert spendable() == {"a": 100, "b": 400, "c": 2000, "d": 300, "e": 300}
    assert engine.balance("c") == {"balance": 2000, "spendable": 2000, "pending": 0,
                                   "expiring_30d": 2000}

    ledger = engine.ledger("b")
    assert ledger.columns == ["id", "customer", "kind", "points", "at", "expires_at", "programme",
                            "referral", "offsets", "reason"]
    assert ledger["kind"] == ["earn", "earn"]
    assert ledger["reason"] == ["referrer level 2", "referrer level 2"]
    assert ledger["programme"] == ["welcome", "welcome"]
    assert ledger["referral"] == [to_d["id"], to_e["id"]]
    assert ledger["offsets"] == [None, None]
    assert ledger["expires_at"] == [T0 + dt.timedelta(days=30)] * 2
    frame = engine.ledger("c").to_pandas()
    assert frame.shape == (2, 10) and frame["points"].sum() == 2000

    # Refunding d's first purchase voids c -> d and takes its rewards back at every level.
    engine.record_event("d", scrm.REFUND, "app", T0, properties={scrm.REFUNDED: "p-d"})
    assert engine.referral(to_d["id"])["status"] == "voided"
    assert engine.referrals("voided") == [engine.referral(to_d["id"])]
    assert spendable() == {"a": 50, "b": 200, "c": 1000, "d": 0, "e": 300}
    c_ledger = engine.ledger("c")
    assert c_ledger["kind"] == ["earn", "earn", "reverse"]
    assert (c_ledger["points"][2], c_ledger["offsets"][2]) == (-1000, c_ledger["id"][0])
    assert engine.upline("d")["chain"] == []

    # Redemption spends the earliest-expiring lot first, then the adjustment (no expiry).
    engine.set_clock(T0 + dt.timedelta(days=1))
    assert engine.adjust_points("c", 500, "goodwill")["balance"] == 1500
    after = engine.redeem_points("c", 1200, "voucher")
    assert after == {"balance": 300, "spendable": 300, "pending": 0, "expiring_30d": 0}
    c_ledger = engine.ledger("c")
    assert c_ledger["kind"][-2:] == ["redeem", "redeem"]
    assert c_ledger["points"][-2:] == [-1000, -200]
    assert c_ledger["offsets"][-2:] == [c_ledger["id"][1], c_ledger["id"][3]]
    assert c_ledger["reason"][-3:] == ["goodwill", "voucher", "voucher"]

    # Past the expiry, expire_points writes one entry per lot left: b, a and e.
    assert engine.balance("b")["expiring_30d"] == 200
    engine.set_clock(T0 + dt.timedelta(days=31))
    assert engine.balance("b")["spendable"] == 0
    assert engine.expire_points() == 3
    assert engine.expire_points() == 0
    assert {i: engine.balance(i)["balance"] for i in "abcde"} == {
        "a": 0, "b": 0, "c": 300, "d": 0, "e": 0}
    b_ledger = engine.ledger("b")
    assert (b_ledger["kind"][-1], b_ledger["points"][-1], b_ledger["reason"][-1]) == (
        "expire", -200, "expired")

    board = engine.referral_leaderboard(10)
    assert board.columns == ["customer", "referrals", "converted", "points"]
    assert board["customer"][0] == "c"
    assert board.to_pandas().shape == (len(board), 4)


def test_held_referrals_are_decided_by_hand(engine):
    customers(engine, "old", "r")
    engine.define_programme("join", "signup", 100)
    # The customer existed two days before redeeming: held, no edge, no points.
    engine.set_clock(T0 + dt.timedelta(days=2))
    held = refer(engine, "r", "old")
    assert (held["status"], held["hold"]) == ("flagged", "existing_referee")
    assert engine.upline("old")["chain"] == []
    assert engine.balance("r")["balance"] == 0
    assert engine.referrals(status="flagged") == [held]
    approved = engine.approve_referral(held["id"])
    assert (approved["status"], approved["hold"]) == ("approved", "existing_referee")
    assert engine.approve_referral(held["id"]) == approved  # twice is a no-op
    assert engine.upline("old")["chain"] == ["r"]
    assert engine.balance("r")["spendable"] == 100
    assert engine.referrals("flagged") == []


def test_velocity_holds_and_rejection(engine):
    customers(engine, "r", "a", "b", "c")
    engine.set_referral_policy(max_redemptions_per_hour=2)
    engine.define_programme("join", "signup", 100)
    holds = [refer(engine, "r", i)["hold"] for i in "abc"]
    assert holds == [None, None, "velocity"]
    [held] = engine.referrals("flagged")
    rejected = engine.reject_referral(held["id"])
    assert rejected["status"] == "voided" and rejected["referee"] == "c"
    assert engine.balance("r")["balance"] == 200
    with pytest.raises(scrm.ConflictError):
        engine.approve_referral(held["id"])


def test_rewards_wait_for_the_approval_delay(engine):
    customers(engine, "r", "n")
    engine.set_referral_policy(approval_delay_hours=24 * 7)
    engine.define_programme("buy", "first_purchase", 500, referee_points=100)
    referral = refer(engine, "r", "n")
    assert referral["status"] == "pending"
    assert referral["approve_at"] == T0 + dt.timedelta(days=7)
    engine.record_events([purchase("n", 30.0, "order-1")])
    assert engine.balance("r") == {"balance": 500, "spendable": 0, "pending": 500,
                                   "expiring_30d": 0}
    with pytest.raises(scrm.ConflictError):
        engine.redeem_points("r", 1, "gift")
    engine.set_clock(T0 + dt.timedelta(days=8))
    assert engine.referral(referral["id"])["status"] == "approved"
    assert engine.balance("r")["spendable"] == 500


def test_caps_milestones_event_triggers_and_the_leaderboard(engine):
    customers(engine, "r", "s")
    engine.define_programme("join", "signup", 100, caps={"per_referrer_day": 250})
    engine.define_programme("m", "first_purchase", 10, milestones=[(2, 500)])
    engine.define_programme("share", {"event": scrm.kinds.SHARE}, 7)
    for i, id_ in enumerate(["a", "b", "c"]):
        customers(engine, id_)
        refer(engine, "r", id_)
        engine.record_events([purchase(id_, 10.0, f"k{i}"), purchase(id_, 10.0, f"again{i}")])
    # signup 100 + 100 + 50 (day cap), first purchases 3 x 10, milestone 500.
    assert engine.balance("r")["spendable"] == 780
    customers(engine, "z")
    refer(engine, "s", "z")
    engine.record_event("z", scrm.kinds.SHARE, "wechat", T0)
    assert engine.balance("s")["spendable"] == 107
    board = engine.referral_leaderboard(5)
    assert board.to_dict() == {"customer": ["r", "s"], "referrals": [3, 1], "converted": [3, 1],
                     "points": [780, 107]}
    assert engine.referral_leaderboard(1)["customer"] == ["r"]
    assert engine.referral_leaderboard(0).to_dict() == {"customer": [], "referrals": [], "converted": [],
                                              "points": []}


def test_the_funnel(engine):
    customers(engine, "r", "a", "b")
    engine.define_programme("spring", "first_purchase", 10, ends_at=T0 + dt.timedelta(days=1))
    refer(engine, "r", "a")
    refer(engine, "r", "b")
    engine.record_events([purchase("a", 1.0, "a1"),
                          purchase("b", 1.0, "b1", T0 + dt.timedelta(days=2))])
    assert engine.balance("r")["balance"] == 10
    funnel = engine.referral_funnel(T0 - dt.timedelta(days=1), T0 + dt.timedelta(days=3))
    assert funnel == {"codes_issued": 1, "redeemed": 2, "converted": 1, "redemption_rate": 2.0,
                      "conversion_rate": 0.5, "k_factor": 0.0, "cost": 10}
    later = engine.referral_funnel(from_=T0 + dt.timedelta(days=5), until=T0 + dt.timedelta(days=6))
    assert later["codes_issued"] == 0 and later["redemption_rate"] == 0.0
    # Any timezone will do.
    cst = dt.timezone(dt.timedelta(hours=8))
    assert engine.referral_funnel(T0.astimezone(cst), T0.astimezone(cst) + dt.timedelta(hours=1))[
        "redeemed"] == 2


def test_not_found_errors(engine):
    customers(engine, "a")
    code = engine.issue_code("a")["code"]
    calls = [
        lambda: engine.lookup_code("ZZZZZZZZ"),
        lambda: engine.redeem_code("ZZZZZZZZ", "a"),
        lambda: engine.redeem_code(code, "ghost"),
        lambda: engine.issue_code("ghost"),
        lambda: engine.referral(99),
        lambda: engine.referral_of("ghost"),
        lambda: engine.approve_referral(99),
        lambda: engine.reject_referral(99),
        lambda: engine.balance("ghost"),
        lambda: engine.ledger("ghost"),
        lambda: engine.redeem_points("ghost", 1, "x"),
        lambda: engine.adjust_points("ghost", 1, "x"),
    ]
    for call in calls:
        with pytest.raises(scrm.NotFoundError) as info:
            call()
        assert info.value.code == "NOT_FOUND" and info.value.field is None


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"referrer_points": -1}, "programme.referrer_points"),
        ({"referee_points": scrm.MAX_POINTS + 1}, "programme.referee_points"),
        ({"level_percents": [100, 120]}, "programme.level_percents[1]"),
        ({"level_percents": [100, -5]}, "programme.level_percents[1]"),
        ({"level_percents": []}, "programme.level_percents"),
        ({"level_percents": "100"}, "programme.level_percents"),
        ({"caps": {"weekly": 1}}, "programme.caps.weekly"),
        ({"caps": {"budget": -5}}, "programme.caps.budget"),
        ({"caps": {"budget": 1.5}}, "programme.caps.budget"),
        ({"caps": 100}, "programme.caps"),
        ({"trigger": "sometimes"}, "programme.trigger"),
        ({"trigger": "purchase"}, "programme.trigger"),
        ({"trigger": {"purchase": "lots"}}, "programme.trigger.purchase"),
        ({"trigger": {"purchase": math.nan}}, "programme.trigger.min_amount"),
        ({"trigger": {"event": "share", "x": 1}}, "programme.trigger"),
        ({"trigger": {"refund": 1}}, "programme.trigger.refund"),
        ({"trigger": {"type": "event"}}, "programme.trigger"),
        ({"trigger": 3}, "programme.trigger"),
        ({"starts_at": dt.datetime(2026, 6, 1)}, "programme.starts_at"),
        ({"starts_at": T0, "ends_at": T0}, "programme.ends_at"),
        ({"expiry_days": 0}, "programme.expiry_days"),
        ({"milestones": [(0, 5)]}, "programme.milestones[0].referrals"),
        ({"milestones": [(1, 5), (3,)]}, "programme.milestones[1]"),
        ({"milestones": [{"referrals": 2}]}, "programme.milestones[0].points"),
        ({"milestones": [(2, 5), (2, 6)]}, "programme.milestones"),
        ({"name": "no spaces"}, "programme.name"),
        ({"campaign": ""}, "programme.campaign"),
    ],
)
def test_bad_programmes_raise_validation_errors(engine, kwargs, field):
    args = {"name": "p", "trigger": "signup", "referrer_points": 10, **kwargs}
    with pytest.raises(scrm.ValidationError) as info:
        engine.define_programme(**args)
    assert info.value.field == field
    assert engine.programmes() == []


def test_other_validation_errors(engine):
    customers(engine, "a")
    cases = [
        (lambda: engine.set_referral_policy(code_length=3), "policy.code_length"),
        (lambda: engine.set_referral_policy(allowance={"limit": 1, "unit": "coins",
                                                       "window": "lifetime"}),
         "policy.allowance.unit"),
        (lambda: engine.set_referral_policy(allowance={"limit": 1, "unit": "points"}),
         "policy.allowance.window"),
        (lambda: engine.set_referral_policy(allowance={"limit": -1, "unit": "points",
                                                       "window": "lifetime"}),
         "policy.allowance.limit"),
        (lambda: engine.lookup_code("0000"), "code"),
        (lambda: engine.redeem_code("ABC", "a"), "code"),
        (lambda: engine.issue_code("a", campaign="no spaces"), "campaign"),
        (lambda: engine.referrals("lost"), "status"),
        (lambda: engine.redeem_points("a", 0, "x"), "points"),
        (lambda: engine.adjust_points("a", 0, "x"), "points"),
        (lambda: engine.referral_funnel(T0, T0), "until"),
        (lambda: engine.referral_funnel(dt.datetime(2026, 6, 1), T0), "from"),
        (lambda: engine.referral_funnel(T0, "tomorrow"), "until"),
    ]
    for call, field in cases:
        with pytest.raises(scrm.ValidationError) as info:
            call()
        assert info.value.field == field, field
    assert engine.referral_policy()["code_length"] == 8


def test_conflict_errors(engine):
    customers(engine, "r", "s", "n", "old")
    engine.define_programme("join", "signup", 100)
    refer(engine, "r", "n")
    # A second referrer for a customer.
    with pytest.raises(scrm.ConflictError) as info:
        refer(engine, "s", "n")
    assert info.value.code == "CONFLICT" and "one referrer" in str(info.value)
    # More points than are spendable: nothing changes.
    with pytest.raises(scrm.ConflictError):
        engine.redeem_points("r", 101, "too much")
    with pytest.raises(scrm.ConflictError):
        engine.adjust_points("r", -101, "too much")
    assert engine.balance("r")["balance"] == 100 and len(engine.ledger("r")["id"]) == 1
    # Deciding a voided referral.
    voided = engine.reject_referral(engine.referral_of("n")["id"])
    with pytest.raises(scrm.ConflictError):
        engine.approve_referral(voided["id"])
    # Existing referees refused by policy.
    engine.set_referral_policy(reject_existing_referees=True)
    engine.set_clock(T0 + dt.timedelta(days=2))
    with pytest.raises(scrm.ConflictError):
        refer(engine, "r", "old")


def test_a_closed_engine_raises_store_error():
    engine = scrm.Engine()
    engine.close()
    for call in (engine.referral_policy, engine.programmes, engine.expire_points,
                 lambda: engine.balance("a"), lambda: engine.referral_leaderboard(3)):
        with pytest.raises(scrm.StoreError):
            call()


def run_stream(engine):
    """A fixed stream of customers, referrals, purchases, a refund and expiry; returns every
    customer's ledger and balance."""
    engine.set_clock(T0)
    engine.define_programme("buy", {"purchase": 0}, 7, referee_points=3, level_percents=[100, 50],
                            expiry_days=10)
    ids = [f"c{i}" for i in range(30)]
    customers(engine, *ids)
    for i in range(1, 30):
        refer(engine, ids[(i - 1) // 3], ids[i])
    engine.record_events([purchase(ids[k % 30], 5.0, f"o{k % 150}", T0 + dt.timedelta(hours=k))
                          for k in range(200)])
    engine.record_events([refund("c7", "o7", T0 + dt.timedelta(days=9))])
    engine.set_clock(T0 + dt.timedelta(days=5))
    engine.redeem_points("c1", 10, "voucher")
    engine.set_clock(T0 + dt.timedelta(days=20))
    engine.expire_points()
    return {i: (engine.ledger(i).to_dict(), engine.balance(i)) for i in ids}


def test_the_same_stream_gives_the_same_ledger(tmp_path):
    with scrm.Engine() as one, scrm.Engine(tmp_path / "two.scrm") as two:
        first, second = run_stream(one), run_stream(two)
        assert one.referral_leaderboard(30).to_dict() == two.referral_leaderboard(30).to_dict()
    assert first == second
    assert sum(len(ledger["id"]) for ledger, _ in first.values()) > 100
    assert all(balance["balance"] >= 0 for _, balance in first.values())
    assert "reverse" in first["c2"][0]["kind"] and "expire" in first["c0"][0]["kind"]
