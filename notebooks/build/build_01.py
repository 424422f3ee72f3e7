"""Build notebooks/01_envelope_encryption.ipynb (run: python notebooks/build/build_01.py)."""

from __future__ import annotations

from nbbuild import code, md, write

NAME = "01_envelope_encryption.ipynb"

CELLS = [
    md("""
    # 01 · Envelope encryption with data keys

    *About 30 minutes. No AWS account and no network: everything runs on your machine.*

    ## Learning objectives

    When you finish this notebook you will be able to:

    1. Explain why `Encrypt` refuses more than 4,096 bytes, and recognise the
       `ValidationException` it returns.
    2. Use `GenerateDataKey` to encrypt a file **locally** with AES-GCM, store the
       **encrypted data key** beside the data, and discard the plaintext data key.
    3. Decrypt the file later by sending only the small encrypted data key to KMS `Decrypt`.
    4. Bind a data key to an **encryption context**, and predict what fails when the context
       or the file is changed.
    5. Choose between `GenerateDataKey` and `GenerateDataKeyWithoutPlaintext`.
    """),
    md("""
    ## 1. Setup

    A seeded `Cloud` (same ids and key material on every run, for teaching only), a KMS
    client, and one symmetric customer managed key with an alias.
    """),
    code("""
    from simulator import Cloud

    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")
    key_id = kms.create_key(Description="reports")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/reports", TargetKeyId=key_id)

    # A 12 KB CSV report: the data we want to protect.
    report = "".join(f"{i},employee-{i:04d},{40000 + 37 * i}\\n" for i in range(500)).encode()
    context = {"dept": "finance", "file": "salaries.csv"}
    print(f"key {key_id}; report: {len(report):,} bytes")
    assert len(report) > 4096
    """),
    md("""
    ## 2. Why `Encrypt` stops at 4 KB

    `Encrypt` with a symmetric key takes **1 to 4,096 bytes** of plaintext: it is meant for
    small secrets such as a password or an RSA key, not for files. The limit is part of the
    API, not a quota you can raise, and every byte would travel to KMS and back. Our report is
    larger, so KMS answers with a `ValidationException` (botocore does not check blob lengths;
    the service does).
    """),
    code("""
    from botocore.exceptions import ClientError

    try:
        kms.encrypt(KeyId="alias/reports", Plaintext=report)
    except ClientError as exc:
        error = exc.response["Error"]
        print(error["Code"], "-", error["Message"])
    else:
        raise AssertionError("Encrypt should refuse more than 4,096 bytes")
    assert error["Code"] == "ValidationException"
    assert "less than or equal to 4096" in error["Message"]

    # The first 4,096 bytes fit exactly; one byte more does not.
    assert kms.encrypt(KeyId="alias/reports", Plaintext=report[:4096])["CiphertextBlob"]
    """),
    md("""
    ## 3. `GenerateDataKey`: a key to use outside KMS

    **Envelope encryption** encrypts the data with a *data key*, and protects the data key
    with the KMS key. `GenerateDataKey` returns a fresh, random data key twice:

    - `Plaintext`: the data key itself, to encrypt data in your own code, then discard;
    - `CiphertextBlob`: the same key encrypted under the KMS key, safe to store with the data.

    Ask for `KeySpec="AES_256"` (32 bytes) or `AES_128`, or give `NumberOfBytes` (1–1,024),
    exactly one of the two. KMS does not store, track or use data keys: that is your code's job.
    """),
    code("""
    data_key = kms.generate_data_key(KeyId="alias/reports", KeySpec="AES_256",
                                     EncryptionContext=context)
    print(sorted(k for k in data_key if k != "ResponseMetadata"))
    print(len(data_key["Plaintext"]), "byte plaintext key;",
          len(data_key["CiphertextBlob"]), "byte encrypted copy")

    assert len(data_key["Plaintext"]) == 32
    assert data_key["KeyId"].endswith(key_id)  # the key ARN, even when you pass an alias
    assert data_key["Plaintext"] not in data_key["CiphertextBlob"]

    # Each call returns a different data key.
    again = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext=context)
    assert again["Plaintext"] != data_key["Plaintext"]
    """),
    md("""
    ## 4. Encrypt the file locally with AES-GCM

    KMS never sees the report. We encrypt it with the `cryptography` library's AES-GCM, an
    authenticated cipher: besides the data it can authenticate *associated data* that stays
    in the clear. We authenticate the file header (encryption context and encrypted data key),
    so changing either is detected locally too.

    The file format is defined in `simulator/lab/envelope.py`; here are the whole local step
    and the result, field by field. The 12-byte nonce comes from KMS `GenerateRandom` so that
    this notebook is reproducible; in your own code any secure random source does.
    """),
    code("""
    from simulator.lab import envelope

    nonce = envelope.new_nonce(kms)
    sealed = envelope.seal_with_data_key(
        data_key["Plaintext"], data_key["CiphertextBlob"], report, context, nonce)
    # Inside: AESGCM(plaintext_key).encrypt(nonce, report, header) -- see envelope.py.
    file_bytes = sealed.to_bytes()
    print(f"{len(report):,} bytes of data -> a {len(file_bytes):,}-byte file")

    assert report not in file_bytes
    assert len(file_bytes) == len(sealed.header()) + len(report) + 16  # + the GCM tag
    sealed.layout_frame()
    """),
    md("""
    ## 5. Store it, and discard the plaintext data key

    The file now holds everything needed to decrypt it **except** the plaintext key. Write it
    to disk and drop every reference to the plaintext data key. (Python cannot wipe `bytes` in
    place; in production, keep data keys in memory as briefly as possible, or let the AWS
    Encryption SDK do this for you.)
    """),
    code("""
    import tempfile
    from pathlib import Path

    workdir = Path(tempfile.mkdtemp(prefix="secrets-lab-01-"))
    path = workdir / "salaries.csv.slenv"
    path.write_bytes(file_bytes)

    plaintext_key = data_key["Plaintext"]
    del data_key, again, plaintext_key  # discard every copy of the plaintext data keys
    assert "data_key" not in globals()
    print(path.name, path.stat().st_size, "bytes on disk")
    """),
    md("""
    ## 6. Later: `Decrypt` the data key, then the data

    A reader needs the file and permission to call `Decrypt` on the KMS key. It sends the
    **small encrypted data key**, not the data, with the same encryption context. For
    ciphertext from a symmetric key `KeyId` is optional (the blob identifies the key), but AWS
    recommends passing it as a best practice, so that you only ever decrypt with the key you
    intend.
    """),
    code("""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    stored = envelope.EnvelopeFile.from_bytes(path.read_bytes())
    answer = kms.decrypt(CiphertextBlob=stored.encrypted_data_key,
                         EncryptionContext=stored.encryption_context, KeyId=key_id)
    recovered = AESGCM(answer["Plaintext"]).decrypt(stored.nonce, stored.ciphertext,
                                                    stored.header())
    del answer
    assert recovered == report
    # The helper does the same two steps:
    assert envelope.decrypt_file(kms, path, key_id) == report
    print("decrypted", len(recovered), "bytes")
    """),
    md("""
    What did KMS see? The audit trail records every call with its parameters. Look at the
    `Decrypt` events: the encryption context is logged **in plaintext** (so it must never hold
    secrets), and neither the data nor any key is logged.
    """),
    code("""
    decrypts = cloud.trail.events(event_name="Decrypt")
    print(decrypts[-1]["requestParameters"])
    assert all(e["requestParameters"]["encryptionContext"] == context for e in decrypts)
    assert not any("plaintext" in e["requestParameters"] for e in decrypts)
    """),
    md("""
    ## 7. The encryption context binds the data key

    The data key was encrypted with the context as additional authenticated data, so KMS
    decrypts it only with exactly the same context (case-sensitive; only the order of pairs may
    differ). Someone who copies the file into another department's folder and edits its
    header gets `InvalidCiphertextException` from KMS; someone who flips a bit in the header
    without touching the key is caught locally by AES-GCM.
    """),
    code("""
    moved = envelope.EnvelopeFile(stored.encrypted_data_key, {**context, "dept": "hr"},
                                  stored.nonce, stored.ciphertext)
    try:
        envelope.open_envelope(kms, moved.to_bytes(), key_id)
    except ClientError as exc:
        print("edited context ->", exc.response["Error"]["Code"])
        assert exc.response["Error"]["Code"] == "InvalidCiphertextException"
    else:
        raise AssertionError("KMS must refuse a different context")

    flipped = bytearray(path.read_bytes())
    nonce_at = next(f.offset for f in stored.layout() if f.name == "nonce")
    flipped[nonce_at] ^= 0x01
    try:
        envelope.open_envelope(kms, bytes(flipped), key_id)
    except envelope.EnvelopeTampered as exc:
        print("flipped header bit ->", exc)
    else:
        raise AssertionError("AES-GCM must detect the change")
    """),
    md("""
    ## 8. `GenerateDataKeyWithoutPlaintext`: for a component that must not see the key

    Some systems create data keys long before anyone encrypts with them. A *control plane*
    prepares a storage container and stores an encrypted data key with it; later a *data plane*
    decrypts that key and encrypts data. `GenerateDataKeyWithoutPlaintext` returns only the
    `CiphertextBlob`, so the control plane never holds a plaintext key. It is otherwise
    identical to `GenerateDataKey`, and the key it returns is decrypted with `Decrypt`.
    """),
    code("""
    container_context = {"container": "c-0042"}
    prepared = kms.generate_data_key_without_plaintext(
        KeyId=key_id, KeySpec="AES_256", EncryptionContext=container_context)
    assert "Plaintext" not in prepared

    # Later, in the data plane:
    data_plane_key = kms.decrypt(CiphertextBlob=prepared["CiphertextBlob"],
                                 EncryptionContext=container_context, KeyId=key_id)["Plaintext"]
    container = envelope.seal_with_data_key(data_plane_key, prepared["CiphertextBlob"],
                                            b"container payload", container_context,
                                            envelope.new_nonce(kms))
    del data_plane_key
    assert envelope.open_envelope(kms, container.to_bytes(), key_id) == b"container payload"
    print("control plane held:", sorted(k for k in prepared if k != "ResponseMetadata"))
    """),
    md("""
    ## 9. The whole envelope, step by step

    The picture shows where each piece lives after step 3: the KMS key never leaves KMS,
    the plaintext data key lives only in your application's memory, and storage holds only
    what is safe to store.
    """),
    code("""
    from simulator.lab.envelope_walk import EnvelopeWalkthrough, draw_envelope, envelope_widget

    fig = draw_envelope(3)
    arrows = [p.get_gid() for p in fig.axes[0].patches if str(p.get_gid()).startswith("arrow:")]
    assert arrows == ["arrow:encrypted_key->file_header", "arrow:ciphertext->file_body"]
    fig
    """),
    md("""
    Now walk through it yourself. Each press of **Next step** makes the real call (or does the
    local work) and redraws the picture. First as code, checked:
    """),
    code("""
    walk = EnvelopeWalkthrough(kms, key_id, report, context)
    for _ in range(6):
        print(walk.next_step())
    assert walk.recovered == report and not walk.holds_plaintext_key
    walk.reset()
    """),
    code("""
    envelope_widget(walk)
    """),
    md("""
    ## 10. Exercises

    Each exercise cell holds a correct answer and checks it with a helper from
    `simulator.lab.envelope`, which asks KMS the way a later reader would. Change the answer
    (drop the context, use `AES_128`, store the plaintext key...) and run the cell again to see
    what the check says.

    **Exercise 1.** Envelope-encrypt `report` under `alias/reports` with the context
    `{"dept": "finance", "file": "q3.csv"}`, producing the bytes of an envelope file.
    """),
    code("""
    exercise_context = {"dept": "finance", "file": "q3.csv"}

    # Your answer:
    response = kms.generate_data_key(KeyId="alias/reports", KeySpec="AES_256",
                                     EncryptionContext=exercise_context)
    my_file = envelope.seal_with_data_key(response["Plaintext"], response["CiphertextBlob"],
                                          report, exercise_context,
                                          envelope.new_nonce(kms)).to_bytes()
    del response

    result = envelope.check_envelope_file(kms, my_file, report, exercise_context, key_id)
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 2.** A nightly job prepares a data key for a worker that will encrypt a file
    tomorrow. The job must never hold a plaintext key. Produce the encrypted data key (the
    `CiphertextBlob` bytes) bound to the context `{"job": "nightly"}`.
    """),
    code("""
    job_context = {"job": "nightly"}

    # Your answer:
    encrypted_for_worker = kms.generate_data_key_without_plaintext(
        KeyId=key_id, KeySpec="AES_256", EncryptionContext=job_context)["CiphertextBlob"]

    result = envelope.check_encrypted_data_key(kms, encrypted_for_worker, key_id, job_context)
    print(result)
    assert result.ok, result
    """),
    md("""
    ## 11. Check yourself

    Two exam-style questions. Pick an answer and press **Submit** to see why each option is
    right or wrong.
    """),
    code("""
    from quizzes import Session, load_banks
    from quizzes.widgets import quiz_widget

    bank = {q.id: q for q in load_banks()}
    questions = [bank["kms-001"], bank["kms-014"]]
    quiz_widget(questions)
    """),
    code("""
    session = Session(questions)
    for question_id, chosen in {"kms-001": ["B"], "kms-014": ["B"]}.items():
        assert session.submit(question_id, chosen).is_correct, question_id
    assert session.report().correct == 2
    """),
    md("""
    ## Summary and exam tips

    - `Encrypt` with a symmetric key takes at most **4,096 bytes** (`ValidationException`
      beyond). It is a fixed API limit, not a quota. Anything larger uses **envelope
      encryption**.
    - **GenerateDataKey** → `Plaintext` (use locally, then discard) + `CiphertextBlob` (store
      with the data). Give `KeySpec` (`AES_256`/`AES_128`) **or** `NumberOfBytes`, not both.
      Every call returns a new, unique data key. KMS does not store or use data keys.
    - To decrypt: **Decrypt the encrypted data key** (small; KMS never sees your data), then
      decrypt the data locally. Passing `KeyId` to Decrypt is optional for symmetric ciphertext
      but recommended.
    - **GenerateDataKeyWithoutPlaintext**: the same, without the plaintext copy, for a component
      that must not see plaintext keys (prepare now, encrypt later).
    - The **encryption context** binds the data key: Decrypt needs the exact same context
      (`InvalidCiphertextException` otherwise). Store it with the data (it is not secret, and it
      is logged in plaintext in CloudTrail).
    - In production, the **AWS Encryption SDK** implements envelope encryption (and its own
      message format) for you; KMS `Decrypt` cannot read that format directly.

    ### Read more (AWS documentation)

    - Data keys: https://docs.aws.amazon.com/kms/latest/developerguide/data-keys.html
    - AWS KMS concepts (envelope encryption):
      https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html
    - Encryption context: https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html
    - AWS Encryption SDK concepts:
      https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/concepts.html
    - API reference: [Encrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html),
      [GenerateDataKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html),
      [GenerateDataKeyWithoutPlaintext](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html),
      [Decrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html),
      [GenerateRandom](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html)

    **Next:** notebook 02, the key lifecycle: states, deletion and rotation.
    """),
]

if __name__ == "__main__":
    print(write(NAME, CELLS))
