"""The virtual clock and the scheduler: time order, due times, no going back."""

from __future__ import annotations

import datetime as dt

import pytest

from simulator import Cloud
from simulator.core.clock import SEEDED_EPOCH, UTC, Clock
from simulator.core.scheduler import Scheduler


def test_seeded_cloud_starts_at_fixed_epoch() -> None:
    assert Cloud(seed=1).clock.now() == SEEDED_EPOCH
    assert SEEDED_EPOCH.tzinfo is not None


def test_jobs_run_in_due_then_sequence_order_with_clock_at_due_time() -> None:
    sched = Scheduler()
    clock = Clock(SEEDED_EPOCH, sched)
    seen: list[tuple[str, dt.datetime, dt.datetime]] = []
    sched.register("mark", lambda due, args: seen.append((args["name"], due, clock.now())))
    t0 = clock.now()
    sched.schedule(t0 + dt.timedelta(days=2), "mark", name="b")
    sched.schedule(t0 + dt.timedelta(days=1), "mark", name="a")
    sched.schedule(t0 + dt.timedelta(days=2), "mark", name="c")
    sched.schedule(t0 + dt.timedelta(days=9), "mark", name="late")
    assert clock.advance(days=3) == 3
    assert [s[0] for s in seen] == ["a", "b", "c"]
    for _name, due, now in seen:
        assert now == due  # the clock is set to each job's due time before it runs
    assert clock.now() == t0 + dt.timedelta(days=3)
    assert [j.args["name"] for j in sched.pending()] == ["late"]


def test_cancelled_job_does_not_run() -> None:
    sched = Scheduler()
    clock = Clock(SEEDED_EPOCH, sched)
    ran: list[int] = []
    sched.register("x", lambda due, args: ran.append(1))
    job = sched.schedule(clock.now() + dt.timedelta(hours=1), "x")
    sched.cancel(job)
    assert clock.advance(hours=2) == 0
    assert ran == []


def test_clock_refuses_to_go_back_and_naive_times() -> None:
    clock = Clock(SEEDED_EPOCH)
    with pytest.raises(ValueError):
        clock.advance(days=-1)
    with pytest.raises(ValueError):
        clock.advance_to(SEEDED_EPOCH - dt.timedelta(seconds=1))
    with pytest.raises(ValueError):
        clock.advance_to(dt.datetime(2030, 1, 1))
    with pytest.raises(ValueError):
        Clock(dt.datetime(2030, 1, 1))
    clock.advance_to(dt.datetime(2027, 1, 1, tzinfo=UTC))
    assert clock.now().year == 2027


def test_unknown_job_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        Scheduler().schedule(SEEDED_EPOCH, "nobody.registered")


def test_seed_makes_ids_reproducible_and_no_seed_does_not() -> None:
    a, b = Cloud(seed=3), Cloud(seed=3)
    ka = a.client("kms").create_key()["KeyMetadata"]
    kb = b.client("kms").create_key()["KeyMetadata"]
    assert ka["Arn"] == kb["Arn"]
    assert ka["CurrentKeyMaterialId"] == kb["CurrentKeyMaterialId"]
    c, d = Cloud(), Cloud()
    assert c.default_account.account_id != d.default_account.account_id or (
        c.client("kms").create_key()["KeyMetadata"]["KeyId"]
        != d.client("kms").create_key()["KeyMetadata"]["KeyId"]
    )


def test_accounts_and_regions() -> None:
    cloud = Cloud(seed=1)
    acct = cloud.default_account.account_id
    assert len(acct) == 12 and acct.isdigit()
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(cloud.regions)
    other = cloud.create_account("111122223333")
    k1 = cloud.client("kms").create_key()["KeyMetadata"]
    k2 = cloud.client("kms", account_id=other.account_id).create_key()["KeyMetadata"]
    assert k1["AWSAccountId"] == acct and k2["AWSAccountId"] == "111122223333"
    assert cloud.client("kms", account_id="111122223333").list_keys()["Keys"] == [
        {"KeyId": k2["KeyId"], "KeyArn": k2["Arn"]}
    ]
    with pytest.raises(ValueError):
        cloud.client("kms", region_name="mars-north-1")
    with pytest.raises(ValueError):
        cloud.create_account("123")


def test_ids_are_well_formed_uuid4() -> None:
    import uuid

    ids = Cloud(seed=2).ids
    for _ in range(50):
        text = ids.uuid()
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
