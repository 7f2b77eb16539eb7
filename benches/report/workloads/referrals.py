"""Referral trigger processing and the points ledger (issue 6). No peer library pays referral
rewards, so scrm runs alone and the issue's targets are the reference."""

from report.workload import Size

TITLE = "Referral triggers and the points ledger (scrm only)"
BENCH = "referrals_race"
ABOUT = """A referral forest (every member but 1,000 roots redeemed a code of its parent; ternary,
so chains run 12 deep at 1,000,000 members) and a 3-level programme (100%, 20%, 5%, plus the
referee's reward) with a per-referrer daily cap, a budget and point expiry. Purchases by
random referred members go through `record_events` in batches of 10,000: each is checked
(the referral's status and fraud holds), capped and paid on four accounts with its
idempotency keys. Balance lookups read a random member's balance. No peer library does
this work, so there is no ratio; the targets are in the table at the top."""
STEPS = {
    "forest": "build the forest (issue and redeem every code)",
    "triggers": "trigger events (purchases paying 3 levels)",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("20k", "20,000 members, 100,000 purchases",
                     ["--customers", "20000", "--events", "100000"], 3)]
    return [Size("1M", "1,000,000 members, 2,500,000 purchases (10,000,000 ledger entries)",
                 ["--customers", "1000000", "--events", "2500000"], 5)]


def notes(scrm: dict) -> list:
    grown = scrm["resident_bytes_per_entry"]
    memory = "" if grown is None else (
        f"; resident memory grew {grown:.0f} bytes per ledger entry (the triggers' event log included)")
    return [f"{scrm['events_per_s']:,.0f} trigger events/s; a balance lookup takes "
            f"{scrm['balance_us']:.2f} µs; {scrm['ledger_entries']:,} ledger entries, "
            f"{scrm['points_paid']:,} points paid{memory}."]
