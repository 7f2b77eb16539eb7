"""Customers, identities and the file store (issue 2). No peer library resolves identities
or keeps a social CRM's store, so scrm runs alone and the issue's targets are the reference."""

from report.workload import Size

TITLE = "Customers, identities and the file store (scrm only)"
BENCH = "customers_race"
ABOUT = """Customers with three identities each (a 28-character WeChat openid, a mainland mobile
number, an email address) go into an in-memory engine through `upsert_customers` in
batches of 10,000; then `lookup_identity` resolves random keys across the three channels.
In file mode (`Engine::open`, SQLite), a store holding 100,000 customers takes mixed events
(views, messages, comments, shares, purchases) through `record_events` in batches of
10,000, one transaction per batch. No peer library does this work, so there is no ratio;
the targets are in the table at the top. Peak memory is the whole run's (the in-memory
engine is the largest part)."""
STEPS = {
    "customers": "upsert every customer with 3 identities (in memory)",
    "file_ingest": "ingest the events in file mode, batches of 10,000",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("20k", "20,000 customers, 20,000 events",
                     ["--customers", "20000", "--events", "20000"], 3)]
    return [Size("1M", "1,000,000 customers (3,000,000 identities), 1,000,000 events in file mode",
                 ["--customers", "1000000", "--events", "1000000"], 3)]


def notes(scrm: dict) -> list:
    grown = scrm["resident_bytes_per_customer"]
    memory = "" if grown is None else f"; resident memory grew {grown:.0f} bytes per customer"
    return [f"an identity lookup takes {scrm['lookup_us']:.2f} µs{memory}; file mode ingests "
            f"{scrm['file_events_per_s']:,.0f} events/s into a store of "
            f"{scrm['file_customers']:,} customers."]
