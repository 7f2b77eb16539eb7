"""Identity resolution: automatic and manual merges, the audit trail, conflicts and policies."""

import pytest

import scrm
from conftest import at


def test_shared_identity_merges_and_is_audited(engine):
    engine.upsert_customer("m-1", identities=[("phone", "+8613800138000")], at=at(1))
    engine.upsert_customer("wx-1", anonymous=True, identities=[("wechat_openid", "o6")], at=at(2))
    outcome = engine.upsert_customer("wx-1", identities=[("phone", "0086 138 0013 8000")], at=at(3))
    assert outcome == {"id": "m-1", "created": False, "merged": ["wx-1"], "conflicts": []}
    assert engine.customer("wx-1")["id"] == "m-1"
    history = engine.merge_history("wx-1")
    assert history == [{
        "survivor": "m-1", "merged": "wx-1", "at": at(3), "actor": "engine",
        "reason": {"type": "shared_identity", "channel": "phone", "value": "+8613800138000"},
    }]
    assert engine.merges() == history


def test_manual_merge(engine):
    engine.upsert_customers([{"id": "a", "at": at(1)}, {"id": "b", "at": at(1)}])
    record = engine.merge_customers("a", "b", actor="agent:wang", note="same person", at=at(2))
    assert record == {
        "survivor": "a", "merged": "b", "at": at(2), "actor": "agent:wang",
        "reason": {"type": "manual", "note": "same person"},
    }
    assert engine.merge_customers("a", "b", "agent:wang") is None, "merging is idempotent"
    assert engine.customer("a")["merged_ids"] == ["b"]
    with pytest.raises(scrm.ValidationError) as info:
        engine.merge_customers("a", "b", actor="")
    assert info.value.field == "actor"
    with pytest.raises(scrm.ValidationError) as info:
        engine.merge_customers("a", "b", actor="x", at="yesterday")
    assert info.value.field == "at"
    with pytest.raises(scrm.NotFoundError):
        engine.merge_customers("a", "ghost", actor="x")
    with pytest.raises(scrm.NotFoundError):
        engine.merge_history("ghost")


def test_conflicts_and_their_resolution():
    with scrm.Engine(config={"merge": {"identified": "flag"}}) as engine:
        engine.upsert_customer("a", identities=[("email", "home@example.com")], at=at(1))
        outcome = engine.upsert_customer("b", identities=[("email", "HOME@example.com")], at=at(2))
        assert outcome["conflicts"] == [0]
        [conflict] = engine.conflicts()
        assert conflict == {
            "id": 0, "channel": "email", "value": "home@example.com", "owner": "a",
            "claimant": "b", "at": at(2), "status": "open",
        }
        assert engine.conflicts(status="open") == [conflict]
        assert engine.conflicts("merged") == []
        assert engine.stats()["open_conflicts"] == 1
        resolved = engine.resolve_conflict(0, "keep_apart", "agent:zhao")
        assert resolved["status"] == "kept_apart"
        with pytest.raises(scrm.ConflictError) as info:
            engine.resolve_conflict(0, "merge", "agent:zhao")
        assert info.value.code == "CONFLICT"
        with pytest.raises(scrm.NotFoundError):
            engine.resolve_conflict(9, "merge", "agent:zhao")
        with pytest.raises(scrm.ValidationError) as info:
            engine.resolve_conflict(0, "maybe", "agent:zhao")
        assert info.value.field == "resolution"
        with pytest.raises(scrm.ValidationError) as info:
            engine.conflicts(status="closed")
        assert info.value.field == "status"
        engine.upsert_customer("c", identities=[("email", "home@example.com")], at=at(3))
        merged = engine.resolve_conflict(1, "merge", "agent:zhao")
        assert merged["status"] == "merged"
        assert engine.merge_history("a")[0]["reason"] == {"type": "conflict_resolved", "conflict": 1}


def test_reject_policy_raises_conflict_error():
    with scrm.Engine(config={"merge": {"on_collision": "reject"}}) as engine:
        engine.upsert_customer("a", identities=[("email", "x@example.com")], at=at(1))
        with pytest.raises(scrm.ConflictError) as info:
            engine.upsert_customer("b", identities=[("email", "x@example.com")], at=at(2))
        assert str(info.value) == "identity email:x@example.com of customer b already belongs to customer a"
        assert info.value.field is None and info.value.line is None
        assert not engine.contains("b")


def test_merge_strategies_from_config():
    config = {"merge": {"strategies": {"points": "sum", "tags": "union"}}}
    with scrm.Engine(config=config) as engine:
        engine.upsert_customer("a", attributes={"points": 10, "tags": ["x"]},
                               identities=[("phone", "+8613900000001")], at=at(1))
        engine.upsert_customer("b", anonymous=True, attributes={"points": 5, "tags": ["y", "x"]}, at=at(2))
        engine.upsert_customer("b", identities=[("phone", "+8613900000001")], at=at(3))
        assert engine.customer("a")["attributes"] == {"points": 15, "tags": ["x", "y"]}


def test_default_country_code_from_config():
    with scrm.Engine(config={"identity": {"default_country_code": "86"}}) as engine:
        engine.upsert_customer("a", identities=[("phone", "0138 0013 8000")], at=at(1))
        assert engine.lookup_identity("phone", "+86 138 0013 8000") == "a"
