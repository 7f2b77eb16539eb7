"""One engine shared by several Python threads: writes and reads at once, nothing lost."""

import sys
import threading
import time

import scrm
from conftest import at

THREADS = 8
PER_THREAD = 200


def test_many_threads_write_and_read_one_engine():
    errors = []
    start = threading.Barrier(THREADS)
    with scrm.Engine() as engine:
        engine.save_segment("buyers", "events(purchase) >= 1")

        def work(n):
            try:
                start.wait()
                for i in range(PER_THREAD):
                    cid = f"t{n}-c{i}"
                    engine.upsert_customer(cid, attributes={"thread": n}, identities=[("email", f"{cid}@x.cn")], at=at(1))
                    engine.record_events([
                        {"customer": cid, "kind": "purchase", "channel": "app", "at": at(2), "amount": 1.0,
                         "idempotency_key": f"order-{cid}"},
                        {"customer": cid, "kind": "view", "channel": "app", "at": at(3)},
                    ])
                    assert engine.lookup_identity("email", f"{cid}@x.cn") == cid
                    assert engine.customer(cid)["activity"]["inbound"] == 2
                    engine.count(f"attr.thread = {n}")
                    engine.stats()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        total = THREADS * PER_THREAD
        assert engine.stats()["customers"] == total
        assert engine.stats()["events"] == 2 * total
        assert engine.segment_members("buyers")["total"] == total
        for n in range(THREADS):
            assert engine.count(f"attr.thread = {n}") == PER_THREAD


def test_the_gil_is_released_during_engine_calls():
    """With thread switching by the interpreter turned off, another Python thread only runs
    when the main thread releases the GIL, which it does only inside engine calls."""
    with scrm.Engine() as engine:
        engine.upsert_customers([{"id": f"c{i}", "at": at(1), "attributes": {"n": i}} for i in range(20000)])
        ticks = []
        started = threading.Event()
        done = threading.Event()

        def ticker():
            started.set()
            while not done.is_set():
                ticks.append(1)
                time.sleep(0.0002)

        interval = sys.getswitchinterval()
        t = threading.Thread(target=ticker)
        t.start()
        started.wait()
        sys.setswitchinterval(1000.0)
        try:
            before = len(ticks)
            deadline = time.perf_counter() + 0.5
            while time.perf_counter() < deadline:
                engine.count("attr.n >= 0")
            during = len(ticks) - before
        finally:
            sys.setswitchinterval(interval)
            done.set()
            t.join()
        assert during > 0, "the ticker never ran: engine calls hold the GIL"


def test_close_while_other_threads_use_the_engine():
    engine = scrm.Engine()
    engine.upsert_customer("a")
    outcomes = []

    def reader():
        for _ in range(500):
            try:
                engine.customer("a")
            except scrm.StoreError:
                outcomes.append("closed")
                return
        outcomes.append("done")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    engine.close()
    for t in threads:
        t.join()
    assert len(outcomes) == 4 and set(outcomes) <= {"closed", "done"}
