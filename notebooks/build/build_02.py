"""Build notebooks/02_key_lifecycle.ipynb (run: python notebooks/build/build_02.py)."""

from __future__ import annotations

from nbbuild import code, md, write

NAME = "02_key_lifecycle.ipynb"

CELLS = [
    md("""
    # 02 · The life of a KMS key: states, deletion and rotation

    *About 35 minutes. No AWS account and no network: everything runs on your machine, and
    years of virtual time pass in seconds.*

    ## Learning objectives

    When you finish this notebook you will be able to:

    1. Name the KMS key states and say which operations each one allows.
    2. Disable and enable a key, and predict `DisabledException`.
    3. Schedule a key for deletion with a 7–30 day waiting period, cancel it, and know that a
       cancelled deletion leaves the key **Disabled**.
    4. Enable automatic rotation with a rotation period, rotate on demand, and read the key's
       material versions with `ListKeyRotations`.
    5. Explain why old ciphertext still decrypts after rotation, and find which key material
       protects a ciphertext (`Decrypt` returns its `KeyMaterialId`).
    """),
    md("""
    ## 1. Setup
    """),
    code("""
    import datetime as dt

    from botocore.exceptions import ClientError

    from simulator import Cloud

    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")
    start = cloud.clock.now()
    print("Virtual time:", start.isoformat())
    """),
    md("""
    ## 2. Key states

    Every KMS key has a `KeyState`. Three apply to every key you create:

    | State | How a key gets there | Cryptographic operations |
    |---|---|---|
    | `Enabled` | `CreateKey`, `EnableKey` | allowed |
    | `Disabled` | `DisableKey`, and **`CancelKeyDeletion`** | `DisabledException` |
    | `PendingDeletion` | `ScheduleKeyDeletion` (wait 7–30 days) | `KMSInvalidStateException` |

    The others belong to special keys: `PendingImport` (a key with `Origin` `EXTERNAL` waiting
    for imported key material), `Unavailable` (a key in a disconnected custom key store), and
    `Creating`, `Updating`, `PendingReplicaDeletion` (multi-Region keys).

    `KeyLifecycle` (from `simulator.lab.lifecycle`) drives one key through these calls and
    records each state with its virtual time. It also keeps one ciphertext made at creation,
    `sample`, to test whether the key still works for data.
    """),
    code("""
    from simulator.lab.lifecycle import KeyLifecycle, plot_key_states

    life = KeyLifecycle(cloud, kms, description="orders")
    print(life.decrypt_sample())
    cloud.clock.advance(days=3)
    print(life.disable())
    print(life.decrypt_sample())
    assert life.state == "Disabled"
    assert life.outcomes[-1].error_code == "DisabledException"
    """),
    md("""
    `DisableKey` is reversible and keeps the key material: after `EnableKey` the same
    ciphertext decrypts again. It is the safe way to find out whether anything still uses a
    key before you delete it.
    """),
    code("""
    cloud.clock.advance(days=4)
    print(life.enable())
    print(life.decrypt_sample())
    assert life.state == "Enabled" and life.outcomes[-1].ok
    """),
    md("""
    ## 3. Scheduled deletion, on the clock

    Deleting a key destroys its key material, so everything encrypted under it becomes
    unrecoverable. KMS therefore never deletes at once: `ScheduleKeyDeletion` starts a
    **waiting period of 7 to 30 days (default 30)**. The API model would accept 1–365; KMS
    itself enforces 7–30. During the wait the key is `PendingDeletion` and refuses
    cryptographic operations, and `CancelKeyDeletion` can still save it.
    """),
    code("""
    cloud.clock.advance(days=2)
    too_short = life.schedule_deletion(6)
    print(too_short)
    assert too_short.error_code == "ValidationException"

    print(life.schedule_deletion(10))
    print(life.decrypt_sample())
    assert life.state == "PendingDeletion"
    assert life.outcomes[-1].error_code == "KMSInvalidStateException"
    assert life.deletion_date == cloud.clock.now() + dt.timedelta(days=10)
    """),
    md("""
    Cancelling the deletion does **not** bring the key back into service: it lands in
    `Disabled`, and applications fail until someone calls `EnableKey`.
    """),
    code("""
    cloud.clock.advance(days=3)
    print(life.cancel_deletion())
    assert life.state == "Disabled"
    print(life.decrypt_sample())
    cloud.clock.advance(days=1)
    print(life.enable())
    assert life.state == "Enabled"
    """),
    md("""
    Now for real: schedule the deletion with the shortest window, and let the clock run.
    `advance` runs the deletion at its due time; KMS records it in the trail as an
    `AwsServiceEvent` named `DeleteKey`. After that, the key is gone: `NotFoundException`.
    """),
    code("""
    cloud.clock.advance(days=2)
    print(life.schedule_deletion(7))
    deletion_date = life.deletion_date

    assert cloud.clock.advance(days=6) == 0      # still waiting
    assert kms.describe_key(KeyId=life.key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    print(life.advance(3))                        # the deletion runs on day 7
    print(life.decrypt_sample())
    assert life.state == "Deleted"
    assert life.outcomes[-1].error_code == "NotFoundException"

    deleted = cloud.trail.events(event_name="DeleteKey")[-1]
    print(deleted["eventType"], deleted["eventTime"])
    assert deleted["eventType"] == "AwsServiceEvent"
    assert life.history[-1].time == deletion_date
    """),
    md("""
    The whole life of this key, as the picture of its states over virtual time:
    """),
    code("""
    fig = plot_key_states(life, title="The 'orders' key")
    spans = [p.get_gid() for p in fig.axes[0].patches if p.get_gid()]
    assert spans == ["state:Enabled", "state:Disabled", "state:Enabled",
                     "state:PendingDeletion", "state:Disabled", "state:Enabled",
                     "state:PendingDeletion", "state:Deleted"]
    fig
    """),
    md("""
    ## 4. What each state allows

    AWS publishes a table of which operations work in which key state. `state_table` asks the
    simulator instead: for every operation and state it makes a fresh key in that state, tries
    the call, and writes `✓` or the error code.
    """),
    code("""
    from simulator.lab.lifecycle import state_table

    table = state_table(kms)
    assert table.loc["Decrypt"].tolist() == ["✓", "DisabledException", "KMSInvalidStateException"]
    assert table.loc["CancelKeyDeletion", "PendingDeletion"] == "✓"
    assert table.loc["CancelKeyDeletion", "Enabled"] == "KMSInvalidStateException"
    assert table.loc["DescribeKey"].tolist() == ["✓", "✓", "✓"]
    assert table.loc["EnableKey", "PendingDeletion"] == "KMSInvalidStateException"
    management = ["EnableKey", "ScheduleKeyDeletion", "TagResource", "UpdateKeyDescription"]
    assert (table.loc[management, "Disabled"] == "✓").all()
    table
    """),
    md("""
    Reading the table: a **disabled** key refuses cryptographic operations but still accepts
    management calls (tags, description, `EnableKey`, `ScheduleKeyDeletion`). A key **pending
    deletion** also refuses most changes (tags, description, `EnableKey`); it can still be
    described and listed, and `CancelKeyDeletion` works in this state only.

    ## 5. Try it: the key lifecycle

    Press the buttons in any order: disable, decrypt the sample, schedule a deletion (try a
    window under 7 days), cancel it, advance the clock past the deletion date. Errors show
    the AWS code and message; the picture redraws after each action.
    """),
    code("""
    from simulator.lab.lifecycle import lifecycle_widget

    playground = KeyLifecycle(cloud, kms, description="lifecycle playground")
    lifecycle_widget(playground)
    """),
    md("""
    ## 6. Rotation: new key material, same key

    Rotating a key creates new **key material** (the secret bits); the key ID, ARN, aliases,
    policy and everything else stay the same. New encryption uses the current material; KMS
    keeps every earlier version and picks the right one on `Decrypt`, so nothing has to be
    re-encrypted and no code changes. Rotation does not re-encrypt existing data.

    - **Automatic rotation** (`EnableKeyRotation`): every `RotationPeriodInDays`, **90 to
      2,560 days, default 365**, counted from when you enable it.
    - **On-demand rotation** (`RotateKeyOnDemand`): now, independent of the automatic
      schedule (which it does not move); at most **25 per key**, a quota that cannot be raised.
    - Only **symmetric encryption keys** can rotate. Asymmetric keys, HMAC keys, and keys in
      custom key stores cannot (`UnsupportedOperationException`); keys with imported material
      cannot rotate automatically.
    """),
    code("""
    hmac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    try:
        kms.enable_key_rotation(KeyId=hmac_key["KeyId"])
    except ClientError as exc:
        print(exc.response["Error"]["Code"], "-", exc.response["Error"]["Message"])
        assert exc.response["Error"]["Code"] == "UnsupportedOperationException"
    else:
        raise AssertionError("HMAC keys cannot rotate")
    """),
    md("""
    Now a symmetric key, used over three years. We encrypt a record, enable yearly rotation,
    and keep encrypting a record every six months.
    """),
    code("""
    from simulator.lab.rotation import RotationStory

    story = RotationStory(cloud, kms)
    story.encrypt("first record")
    status = story.enable_rotation(365)
    enabled_on = cloud.clock.now()
    fields = ("KeyRotationEnabled", "RotationPeriodInDays", "NextRotationDate")
    print({k: status[k] for k in fields})
    assert status["NextRotationDate"] == enabled_on + dt.timedelta(days=365)

    rotations = 0
    for half_year in range(1, 7):
        rotations += story.advance(183)
        story.encrypt(f"record {half_year}")
    print(rotations, "automatic rotations in", (cloud.clock.now() - enabled_on).days, "days")
    assert rotations == 3
    """),
    md("""
    A security incident: the team wants new material **now**. `RotateKeyOnDemand` rotates
    at once, and leaves the automatic schedule where it was.
    """),
    code("""
    before = kms.get_key_rotation_status(KeyId=story.key_id)["NextRotationDate"]
    story.advance(20)
    story.rotate_on_demand()
    story.encrypt("after the incident")
    after = kms.get_key_rotation_status(KeyId=story.key_id)["NextRotationDate"]
    assert after == before
    print("next automatic rotation still on", after.astimezone(dt.timezone.utc).date())
    """),
    md("""
    `ListKeyRotations` lists the rotations; with `IncludeKeyMaterial="ALL_KEY_MATERIAL"` it
    also lists the key's first material, so you see every version with its `KeyMaterialId`,
    `RotationType` (`AUTOMATIC` or `ON_DEMAND`) and state (`CURRENT` or `NON_CURRENT`).
    `materials_table` adds when each version was current.
    """),
    code("""
    materials = story.materials()
    assert materials["RotationType"].tolist() == [
        "INITIAL", "AUTOMATIC", "AUTOMATIC", "AUTOMATIC", "ON_DEMAND"]
    assert materials["KeyMaterialState"].tolist() == ["NON_CURRENT"] * 4 + ["CURRENT"]
    current = kms.describe_key(KeyId=story.key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    assert materials["KeyMaterialId"].iloc[-1] == current
    materials.assign(KeyMaterialId=materials["KeyMaterialId"].str[:12] + "…")
    """),
    md("""
    Every record still decrypts, and `Decrypt` tells us which material it used. The picture
    puts each record on the row of that material, at the moment it was encrypted: each dot
    falls inside the bar of the version that was current then.
    """),
    code("""
    used = story.record_materials()
    for record in story.records:
        assert kms.decrypt(CiphertextBlob=record.blob)["Plaintext"] == record.label.encode()
    version_of = dict(zip(materials["KeyMaterialId"], materials["version"]))
    print({label: f"v{version_of[mid]}" for label, mid in used.items()})
    assert [version_of[used[r.label]] for r in story.records] == [1, 1, 2, 2, 3, 3, 4, 5]
    story.figure()
    """),
    md("""
    ## 7. Exercises

    Each exercise cell holds a correct answer and checks it against the simulator with a
    helper from `simulator.lab`. Change the answer and run the cell again to see what the
    check says.

    **Exercise 1.** The key `retired` is no longer used. Schedule it for deletion as soon as
    KMS allows.
    """),
    code("""
    from simulator.lab.lifecycle import check_deletion_scheduled, check_key_usable
    from simulator.lab.rotation import check_material_answer, check_rotation_enabled

    retired = kms.create_key(Description="retired")["KeyMetadata"]["KeyId"]

    # Your answer:
    kms.schedule_key_deletion(KeyId=retired, PendingWindowInDays=7)

    result = check_deletion_scheduled(kms, retired, cloud.clock.now(), days=7)
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 2.** The key `billing` was scheduled for deletion by mistake. Put it back into
    service so that applications can encrypt and decrypt with it again.
    """),
    code("""
    billing = kms.create_key(Description="billing")["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=billing)
    cloud.clock.advance(days=2)

    # Your answer:
    kms.cancel_key_deletion(KeyId=billing)
    kms.enable_key(KeyId=billing)

    result = check_key_usable(kms, billing)
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 3.** Compliance requires the key material of `billing` to rotate every 180
    days. Turn that on.
    """),
    code("""
    # Your answer:
    kms.enable_key_rotation(KeyId=billing, RotationPeriodInDays=180)

    result = check_rotation_enabled(kms, billing, 180, cloud.clock.now())
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 4.** Which key material protects the story's `"record 3"`? Give its
    `KeyMaterialId`.
    """),
    code("""
    record_3 = next(r for r in story.records if r.label == "record 3")

    # Your answer:
    answer = kms.decrypt(CiphertextBlob=record_3.blob)["KeyMaterialId"]

    result = check_material_answer(kms, story.key_id, record_3.blob, answer)
    print(result)
    assert result.ok, result
    """),
    md("""
    ## 8. Check yourself

    Four exam-style questions on this notebook. Pick an answer and press **Submit**.
    """),
    code("""
    from quizzes import Session, load_banks
    from quizzes.widgets import quiz_widget

    bank = {q.id: q for q in load_banks()}
    questions = [bank[i] for i in ("kms-005", "kms-006", "kms-007", "kms-008")]
    quiz_widget(questions)
    """),
    code("""
    session = Session(questions)
    answers = {"kms-005": ["C"], "kms-006": ["B"], "kms-007": ["B", "D"], "kms-008": ["D"]}
    for question_id, chosen in answers.items():
        assert session.submit(question_id, chosen).is_correct, question_id
    assert session.report().correct == 4
    """),
    md("""
    ## Summary and exam tips

    - **Disable** when unsure: reversible, material kept, `DisabledException` meanwhile.
    - **ScheduleKeyDeletion**: waiting period **7–30 days, default 30**; the key is
      `PendingDeletion` and unusable (`KMSInvalidStateException`). There is no immediate
      deletion. At the end, the key, its material and its aliases are deleted and data
      encrypted under it is unrecoverable. CloudTrail shows a `DeleteKey` service event.
    - **CancelKeyDeletion leaves the key `Disabled`**: call `EnableKey` afterwards.
    - **Automatic rotation**: symmetric encryption keys with KMS-generated material only;
      `RotationPeriodInDays` **90–2,560, default 365** (older material says "every year,
      fixed"). AWS managed keys rotate every year and you cannot change that.
    - **On-demand rotation**: `RotateKeyOnDemand`, immediate, does not change the automatic
      schedule, **25 per key** (not adjustable).
    - Rotation keeps the key ID/ARN and **all earlier material**; old ciphertext decrypts with
      no code change; rotation does **not** re-encrypt data (use `ReEncrypt` if you must move
      ciphertext to new material). `Decrypt` and `DescribeKey` report `KeyMaterialId` /
      `CurrentKeyMaterialId`; `ListKeyRotations` lists the versions.
    - Asymmetric, HMAC and custom-key-store keys cannot rotate in KMS: rotate them *manually*
      by creating a new key and moving the alias.

    ### Read more (AWS documentation)

    - Key states: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
    - Enabling and disabling keys:
      https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html
    - Deleting keys: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
    - Rotating keys: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    - Listing rotations and key materials:
      https://docs.aws.amazon.com/kms/latest/developerguide/list-rotations.html
    - Rotating key material (cryptographic details):
      https://docs.aws.amazon.com/kms/latest/cryptographic-details/rotate-customer-master-key.html
    - API reference:
      [ScheduleKeyDeletion](https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html),
      [CancelKeyDeletion](https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html),
      [EnableKeyRotation](https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html),
      [RotateKeyOnDemand](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html),
      [GetKeyRotationStatus](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html),
      [ListKeyRotations](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html)

    **Next:** notebook 03, asymmetric keys and HMAC keys.
    """),
]

if __name__ == "__main__":
    print(write(NAME, CELLS))
