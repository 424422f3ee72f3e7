"""Build notebooks/03_asymmetric_and_hmac.ipynb (run: python notebooks/build/build_03.py)."""

from __future__ import annotations

from nbbuild import code, md, write

NAME = "03_asymmetric_and_hmac.ipynb"

CELLS = [
    md("""
    # 03 · Asymmetric keys and HMAC keys

    *About 35 minutes. No AWS account and no network: everything runs on your machine.*

    ## Learning objectives

    When you finish this notebook you will be able to:

    1. Pick a `KeySpec` and `KeyUsage` for a task, and know which combinations KMS allows.
    2. Sign and verify with an asymmetric KMS key, and verify a signature **offline** with the
       public key (`GetPublicKey` and the `cryptography` library).
    3. Sign messages larger than 4,096 bytes by signing a digest.
    4. Compute the plaintext limit of RSA encryption, bytes(key) − 2·bytes(hash) − 2, and see
       KMS enforce it.
    5. Generate and verify HMACs with `GenerateMac` / `VerifyMac`, and say when an HMAC key is
       a better fit than a signing key.
    """),
    md("""
    ## 1. Setup
    """),
    code("""
    import hashlib

    from botocore.exceptions import ClientError

    from simulator import Cloud
    from simulator.lab import keyspecs

    cloud = Cloud(seed=7)
    kms = cloud.client("kms", region_name="eu-west-1")
    """),
    md("""
    ## 2. Key specs and key usages

    `CreateKey` takes a `KeySpec` (what kind of key material) and a `KeyUsage` (what the key
    is for). Both are fixed for the life of the key. The table below is read from the
    simulator's own key-spec table, so it shows exactly what this simulator accepts:

    - `SYMMETRIC_DEFAULT` (the default): AES-256-GCM, `ENCRYPT_DECRYPT`. The only kind AWS
      services integrated with KMS use.
    - `RSA_2048/3072/4096`: `ENCRYPT_DECRYPT` **or** `SIGN_VERIFY`, one per key, never both.
    - `ECC_NIST_P256/P384/P521`: `SIGN_VERIFY` **or** `KEY_AGREEMENT` (ECDH);
      `ECC_SECG_P256K1` (secp256k1) and `ECC_NIST_EDWARDS25519` sign only.
    - `HMAC_224/256/384/512`: `GENERATE_VERIFY_MAC` only.

    Only symmetric encryption keys can rotate in KMS; every other kind is rotated manually.
    """),
    code("""
    table = keyspecs.spec_table()
    assert set(table.loc[table["KeySpec"] == "RSA_2048", "KeyUsage"]) == {"ENCRYPT_DECRYPT",
                                                                         "SIGN_VERIFY"}
    assert set(table.loc[table["KeyUsage"] == "KEY_AGREEMENT", "KeySpec"]) == {
        "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"}
    print("Not simulated:", keyspecs.unsimulated_specs())
    table
    """),
    md("""
    KMS checks the combination when you create the key. An HMAC key is the one case where you
    must pass `KeyUsage` explicitly, although it has only one possible value.
    """),
    code("""
    for request in ({"KeySpec": "RSA_2048", "KeyUsage": "GENERATE_VERIFY_MAC"},
                    {"KeySpec": "HMAC_256"}):
        try:
            kms.create_key(**request)
        except ClientError as exc:
            print(request, "->", exc.response["Error"]["Code"], "-",
                  exc.response["Error"]["Message"])
            assert exc.response["Error"]["Code"] == "ValidationException"
        else:
            raise AssertionError(f"{request} should be refused")
    """),
    md("""
    ## 3. Sign and verify

    An asymmetric signing key keeps its **private key inside KMS**: only `Sign` uses it, so
    only principals the key policy allows can sign. Anyone can check a signature.

    `Sign` takes up to 4,096 bytes of `Message`. The result of a failed check is worth knowing
    for the exam: `Verify` does **not** return `SignatureValid: false`, it fails with
    `KMSInvalidSignatureException`.
    """),
    code("""
    signer = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY",
                            Description="release signing")["KeyMetadata"]
    print(signer["KeySpec"], signer["KeyUsage"], signer["SigningAlgorithms"])

    manifest = b'{"release": "1.2.3", "sha256": "9f2c..."}'
    signed = kms.sign(KeyId=signer["KeyId"], Message=manifest, SigningAlgorithm="ECDSA_SHA_256")
    signature = signed["Signature"]
    print(len(signature), "byte signature")

    ok = kms.verify(KeyId=signer["KeyId"], Message=manifest, Signature=signature,
                    SigningAlgorithm="ECDSA_SHA_256")
    assert ok["SignatureValid"] is True

    try:
        kms.verify(KeyId=signer["KeyId"], Message=manifest + b" ", Signature=signature,
                   SigningAlgorithm="ECDSA_SHA_256")
    except ClientError as exc:
        print("tampered manifest ->", exc.response["Error"]["Code"])
        assert exc.response["Error"]["Code"] == "KMSInvalidSignatureException"
    else:
        raise AssertionError("a changed message must not verify")
    """),
    md("""
    ### Verifying offline with the public key

    `GetPublicKey` returns the public key as DER-encoded SubjectPublicKeyInfo, with the key
    spec, usage and algorithms. A partner without AWS credentials can verify with any standard
    library. For ECDSA, KMS returns the signature DER-encoded (ANSI X9.62 / RFC 3279), the
    format libraries expect. Verifying inside KMS instead has benefits: KMS authenticates,
    authorizes and logs every call, which it cannot do for offline use.
    """),
    code("""
    public = kms.get_public_key(KeyId=signer["KeyId"])
    print({k: public[k] for k in ("KeySpec", "KeyUsage", "SigningAlgorithms")})
    der = public["PublicKey"]
    print(type(keyspecs.load_public_key(der)).__name__, len(der), "bytes of DER")

    assert keyspecs.verify_offline(der, manifest, signature, "ECDSA_SHA_256")
    assert not keyspecs.verify_offline(der, manifest + b" ", signature, "ECDSA_SHA_256")
    print("verified offline, with no call to KMS")
    """),
    md("""
    ### Messages larger than 4,096 bytes: sign a digest

    For a large file, hash it yourself and send the digest with `MessageType="DIGEST"`. The
    digest must be exactly the algorithm's hash length (32 bytes for `ECDSA_SHA_256`). For
    ECDSA and RSA the signature of the digest is the signature of the file, so a verifier can
    check it against the whole file.
    """),
    code("""
    release = b"binary release contents " * 1000
    try:
        kms.sign(KeyId=signer["KeyId"], Message=release, SigningAlgorithm="ECDSA_SHA_256")
    except ClientError as exc:
        print(len(release), "bytes ->", exc.response["Error"]["Code"])
        assert exc.response["Error"]["Code"] == "ValidationException"

    digest = hashlib.sha256(release).digest()
    digest_signature = kms.sign(KeyId=signer["KeyId"], Message=digest, MessageType="DIGEST",
                                SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    assert keyspecs.verify_offline(der, release, digest_signature, "ECDSA_SHA_256")
    print("signature over the digest verifies against the full", len(release), "byte file")
    """),
    md("""
    ## 4. RSA encryption and its plaintext limit

    An RSA `ENCRYPT_DECRYPT` key encrypts with RSAES-OAEP (`RSAES_OAEP_SHA_1` or
    `RSAES_OAEP_SHA_256`, which AWS recommends). OAEP padding takes room in the RSA block, so
    the plaintext can be at most **bytes(key) − 2·bytes(hash) − 2**: for RSA_2048 with
    SHA-256, 256 − 64 − 2 = **190 bytes**. That is far below the 4,096 bytes of a symmetric
    key: RSA keys encrypt small secrets (such as a data key), not data.
    """),
    code("""
    limits = keyspecs.encryption_limits()
    assert limits[("RSA_2048", "RSAES_OAEP_SHA_256")] == 256 - 2 * 32 - 2 == 190
    assert limits[("RSA_4096", "RSAES_OAEP_SHA_1")] == 512 - 2 * 20 - 2 == 470

    rsa_key = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    for algorithm in ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"):
        limit = limits[("RSA_2048", algorithm)]
        refused, code = keyspecs.probe_rsa_limit(kms, rsa_key, algorithm, limit)
        print(f"RSA_2048 {algorithm}: {limit} bytes OK, {limit + 1} -> {code}")
        assert refused and code == "ValidationException"
    keyspecs.plot_encryption_limits(limits)
    """),
    md("""
    Asymmetric ciphertext is plain RSAES-OAEP output with no KMS metadata. So `Decrypt` needs
    the `KeyId` **and** the `EncryptionAlgorithm`, and an encryption context is not supported.
    The upside: anyone with the public key can encrypt **offline**, and only KMS (with the key
    policy's permission) can decrypt.
    """),
    code("""
    rsa_public = kms.get_public_key(KeyId=rsa_key)["PublicKey"]
    sealed = keyspecs.encrypt_offline(rsa_public, b"partner's API token", "RSAES_OAEP_SHA_256")

    try:
        kms.decrypt(CiphertextBlob=sealed)  # no KeyId, no algorithm
    except ClientError as exc:
        print("without KeyId ->", exc.response["Error"]["Code"])
    else:
        raise AssertionError("asymmetric ciphertext needs KeyId and EncryptionAlgorithm")

    opened = kms.decrypt(CiphertextBlob=sealed, KeyId=rsa_key,
                         EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    assert opened["Plaintext"] == b"partner's API token"

    try:
        kms.encrypt(KeyId=rsa_key, Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256",
                    EncryptionContext={"app": "partner"})
    except ClientError as exc:
        print("encryption context ->", exc.response["Error"]["Code"])
    else:
        raise AssertionError("asymmetric keys take no encryption context")
    """),
    md("""
    ## 5. HMAC keys: `GenerateMac` and `VerifyMac`

    An HMAC KMS key is a **symmetric** secret that never leaves KMS. `GenerateMac` computes a
    standard HMAC (RFC 2104) of up to 4,096 bytes; `VerifyMac` recomputes it and compares.
    Because the key is secret, only principals allowed to call KMS can create or check a tag,
    which makes it a fit for tokens your own services issue and check (JSON Web Tokens,
    tokenised card numbers). There is no public key, so nobody can verify offline. A failed
    check is again an exception: `KMSInvalidMacException`.
    """),
    code("""
    mac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC",
                             Description="session tokens")["KeyMetadata"]
    print(mac_key["KeySpec"], mac_key["MacAlgorithms"])
    token = b'{"user": "alice", "expires": "2026-01-05T10:00:00Z"}'
    tag = kms.generate_mac(KeyId=mac_key["KeyId"], Message=token,
                           MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert len(tag) == 32
    # HMAC is deterministic: the same message and key give the same tag.
    assert kms.generate_mac(KeyId=mac_key["KeyId"], Message=token,
                            MacAlgorithm="HMAC_SHA_256")["Mac"] == tag

    assert kms.verify_mac(KeyId=mac_key["KeyId"], Message=token, Mac=tag,
                          MacAlgorithm="HMAC_SHA_256")["MacValid"]
    forged = token.replace(b"alice", b"admin")
    try:
        kms.verify_mac(KeyId=mac_key["KeyId"], Message=forged, Mac=tag,
                       MacAlgorithm="HMAC_SHA_256")
    except ClientError as exc:
        print("forged token ->", exc.response["Error"]["Code"])
        assert exc.response["Error"]["Code"] == "KMSInvalidMacException"

    try:
        kms.get_public_key(KeyId=mac_key["KeyId"])
    except ClientError as exc:
        print("GetPublicKey on an HMAC key ->", exc.response["Error"]["Code"])
        assert exc.response["Error"]["Code"] == "UnsupportedOperationException"
    """),
    md("""
    ## 6. Which key for which job?

    - **Encrypt data in AWS services** (S3, EBS, Secrets Manager...) or with data keys:
      `SYMMETRIC_DEFAULT`. The only kind integrated services accept; it rotates; Encrypt takes
      4,096 bytes, envelope encryption does the rest.
    - **Let parties without AWS credentials encrypt data only you can read**: `RSA_*` with
      `ENCRYPT_DECRYPT`. They encrypt offline with the public key; only KMS decrypts.
    - **Sign so that anyone can verify** (releases, documents, partners): `ECC_*` or `RSA_*`
      with `SIGN_VERIFY`. The public key verifies offline.
    - **Create and check integrity tags inside your own system** (tokens): `HMAC_*`. Fast
      symmetric tags; checking one needs permission to call KMS.
    - **Derive a shared secret with a peer's key pair**: `ECC_NIST_*` with `KEY_AGREEMENT`
      (`DeriveSharedSecret`, ECDH).

    Explore the combinations below: choose a key spec and a usage, read what it offers, and
    press **Try it** to create such a key and use it for its job. For the
    asymmetric kinds, the check happens the way a party outside AWS would do it.
    """),
    code("""
    from simulator.lab.keyspec_widget import demonstrate, describe_spec, keyspec_widget

    assert describe_spec("RSA_3072", "ENCRYPT_DECRYPT")["largest plaintext"] == (
        "342 B (RSAES_OAEP_SHA_1), 318 B (RSAES_OAEP_SHA_256)")
    for spec, usage in [("ECC_NIST_P256", "KEY_AGREEMENT"), ("HMAC_512", "GENERATE_VERIFY_MAC"),
                        ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY")]:
        outcome = demonstrate(kms, spec, usage)
        print(outcome)
        assert outcome.ok
    keyspec_widget(kms)
    """),
    md("""
    ## 7. Exercises

    Each exercise cell holds a correct answer and checks it against the simulator with a
    helper from `simulator.lab.keyspecs`. Change the answer and run the cell again to see
    what the check says.

    **Exercise 1.** A partner will verify your release signatures offline with OpenSSL and
    wants ECDSA on the NIST P-256 curve. Create the key.
    """),
    code("""
    # Your answer:
    partner_key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY",
                                 Description="partner releases")["KeyMetadata"]["KeyId"]

    result = keyspecs.check_signing_key(kms, partner_key, "ECC_NIST_P256")
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 2.** What is the largest plaintext `Encrypt` accepts with an `RSA_3072` key and
    `RSAES_OAEP_SHA_256`? (The check creates such a key and tries your number and one more.)
    """),
    code("""
    # Your answer:
    largest = 3072 // 8 - 2 * 32 - 2

    result = keyspecs.check_rsa_limit(kms, "RSA_3072", "RSAES_OAEP_SHA_256", largest)
    print(result)
    assert result.ok, result
    """),
    md("""
    **Exercise 3.** Your login service issues the token below. Create a tag for it with the
    `session tokens` HMAC key (`mac_key`) so that the service can check it later with
    `VerifyMac`.
    """),
    code("""
    session = b'{"user": "bob", "expires": "2026-01-05T12:00:00Z"}'

    # Your answer:
    session_tag = kms.generate_mac(KeyId=mac_key["KeyId"], Message=session,
                                   MacAlgorithm="HMAC_SHA_256")["Mac"]

    result = keyspecs.check_mac(kms, mac_key["KeyId"], session, session_tag)
    print(result)
    assert result.ok, result
    """),
    md("""
    ## 8. Check yourself
    """),
    code("""
    from quizzes import Session, load_banks
    from quizzes.widgets import quiz_widget

    bank = {q.id: q for q in load_banks()}
    questions = [bank["kms-013"], bank["kms-001"]]
    quiz_widget(questions)
    """),
    code("""
    session_check = Session(questions)
    for question_id, chosen in {"kms-013": ["C"], "kms-001": ["B"]}.items():
        assert session_check.submit(question_id, chosen).is_correct, question_id
    """),
    md("""
    ## Summary and exam tips

    - `KeySpec` and `KeyUsage` are chosen at `CreateKey` and never change. RSA keys are
      **either** `ENCRYPT_DECRYPT` **or** `SIGN_VERIFY`; NIST ECC keys **either**
      `SIGN_VERIFY` **or** `KEY_AGREEMENT`; HMAC keys are `GENERATE_VERIFY_MAC` (pass it
      explicitly).
    - AWS services integrated with KMS use **symmetric** keys only. Asymmetric and HMAC keys
      cannot rotate automatically or on demand (rotate manually: new key, move the alias).
    - The private key of an asymmetric KMS key never leaves KMS; `GetPublicKey` shares the
      public key (DER SubjectPublicKeyInfo) for **offline** encryption and verification.
      Offline use loses KMS's authorization and CloudTrail logging.
    - `Verify` / `VerifyMac` failures are **exceptions** (`KMSInvalidSignatureException`,
      `KMSInvalidMacException`), not `false`.
    - `Sign` takes up to 4,096 bytes; for more, send a digest with `MessageType=DIGEST`.
    - RSA-OAEP plaintext limit = bytes(key) − 2·bytes(hash) − 2: RSA_2048 214/190,
      RSA_3072 342/318, RSA_4096 470/446 bytes (SHA-1/SHA-256). Asymmetric `Decrypt` needs
      `KeyId` and `EncryptionAlgorithm`; no encryption context with asymmetric keys.
    - HMAC keys: symmetric secret inside KMS; verification requires calling KMS; good for
      tokens you issue and check yourself.

    ### Read more (AWS documentation)

    - Asymmetric key specs (algorithms, OAEP limits):
      https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html
    - Offline operations with public keys:
      https://docs.aws.amazon.com/kms/latest/developerguide/offline-public-key.html
    - HMAC keys in AWS KMS: https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html
    - Choosing a key type:
      https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html
    - API reference: [CreateKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html),
      [Sign](https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html),
      [Verify](https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html),
      [GetPublicKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html),
      [Encrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html),
      [GenerateMac](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html),
      [VerifyMac](https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html),
      [DeriveSharedSecret](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html)
    """),
]

if __name__ == "__main__":
    print(write(NAME, CELLS))
