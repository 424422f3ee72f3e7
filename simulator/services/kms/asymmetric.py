"""Asymmetric and HMAC key material, and the cryptography KMS does with it.

Everything here is real cryptography from the ``cryptography`` package, so keys and results
interoperate with any standard tool: public keys are DER SubjectPublicKeyInfo, private keys DER
PKCS#8 (RFC 5958), signatures are PKCS #1 (RSA) or DER ECDSA-Sig-Value (K-SIGN), RSA encryption
is RSAES-OAEP with the same hash for MGF1 and an empty label (K-ASYM).

Key generation draws its randomness from the Cloud's id source: from the OS CSPRNG normally,
from the seed in seed mode, so ``Cloud(seed=N)`` gives the same key pairs on every run. ECC and
Ed25519 keys come straight from seeded bytes. OpenSSL cannot take a seed for RSA, so in seed mode
the primes are searched here, deterministically, from 32 seeded bytes: a sieve, a fast screen,
then Miller-Rabin with bases from the seed (RSA_4096 takes about a second). Without a seed, RSA
keys come from OpenSSL. Material is never logged or shown.
"""

from __future__ import annotations

import functools
import hashlib
import hmac as _hmac
import math
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from simulator.services.kms.key_specs import KeySpecInfo

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
RandomBytes = Callable[[int], bytes]

PUBLIC_EXPONENT = 65537
SEED_BYTES = 32  # drawn from the Cloud's seeded id source for each seeded RSA key

CURVES: dict[str, ec.EllipticCurve] = {
    "ECC_NIST_P256": ec.SECP256R1(),
    "ECC_NIST_P384": ec.SECP384R1(),
    "ECC_NIST_P521": ec.SECP521R1(),
    "ECC_SECG_P256K1": ec.SECP256K1(),
}

_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "SHA_1": hashes.SHA1,
    "SHA_224": hashes.SHA224,
    "SHA_256": hashes.SHA256,
    "SHA_384": hashes.SHA384,
    "SHA_512": hashes.SHA512,
}


class BadInput(Exception):
    """A caller-supplied key or value cannot be used (the service answers ValidationException)."""


class BadCiphertext(Exception):
    """RSA-OAEP decryption failed: wrong key, wrong algorithm or altered ciphertext."""


def hash_for(algorithm: str) -> hashes.HashAlgorithm:
    """The hash an algorithm name ends with: ``RSASSA_PSS_SHA_384`` -> SHA-384."""
    return _HASHES[algorithm[algorithm.index("SHA_") :]]()


def digest_size(algorithm: str) -> int:
    return hash_for(algorithm).digest_size


# -- key generation ---------------------------------------------------------------------------
def generate(info: KeySpecInfo, randbytes: RandomBytes, seeded: bool) -> PrivateKey:
    """A new key pair of spec ``info``, for a KMS key or a data key pair."""
    if info.kind == "rsa":
        bits = info.extra["bits"]
        if seeded:
            return load_private(rsa_der_from_seed(randbytes(SEED_BYTES), bits))
        return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=bits)
    if info.kind == "ecc":
        curve = CURVES[info.name]
        order = curve.group_order
        # 64 extra bits make the reduction's bias negligible (FIPS 186-5 A.4.1).
        raw = int.from_bytes(randbytes((order.bit_length() + 7) // 8 + 8), "big")
        return ec.derive_private_key(raw % (order - 1) + 1, curve)
    if info.kind == "ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(randbytes(32))
    raise ValueError(f"{info.name} is not an asymmetric key spec")


def new_material(
    info: KeySpecInfo, randbytes: RandomBytes, seeded: bool
) -> tuple[bytes, bytes | None]:
    """A KMS key's new material to seal (the HMAC secret or a PKCS#8 DER private key) and its
    DER public key (``None`` for HMAC keys)."""
    if info.kind == "hmac":
        return randbytes(info.extra["key_bytes"]), None
    key = generate(info, randbytes, seeded)
    return private_der(key), public_der(key)


def load_private(der: bytes) -> PrivateKey:
    # Our own material was checked when it was made (or imported): skip OpenSSL's RSA re-check.
    key = serialization.load_der_private_key(
        der, password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(key, PrivateKey):
        raise ValueError("unsupported private key type")
    return key


def private_der(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_der(key: PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# -- deterministic RSA (seed mode only) ------------------------------------------------------
class _Drbg:
    """SHA-512 in counter mode over a seed: a reproducible byte stream, for teaching mode only."""

    def __init__(self, seed: bytes) -> None:
        self._seed, self._counter = seed, 0

    def bytes(self, n: int) -> bytes:
        out = bytearray()
        while len(out) < n:
            out += hashlib.sha512(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
        return bytes(out[:n])


@functools.cache
def _sieve_primes() -> tuple[tuple[int, int], ...]:
    """Odd primes below 2**20, each with the inverse of 2 modulo it, (p + 1) / 2.

    Sieving candidates by every prime up to 2**20 leaves about 1 in 55 survivors prime for a
    2048-bit search, against 1 in 72 with primes up to 2**16: fewer full tests, which dominate.
    """
    limit = 1 << 20
    flags = bytearray([1]) * limit
    flags[0] = flags[1] = 0
    for i in range(2, math.isqrt(limit) + 1):
        if flags[i]:
            flags[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return tuple((p, (p + 1) // 2) for p in range(3, limit, 2) if flags[p])


_WINDOW = 4096  # odd candidates sieved per random start; a prime is missed with p < 1%


def _miller_rabin(n: int, bases: list[int]) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in bases:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


_PARTNER = (1 << 127) - 1  # the Mersenne prime M127


def _openssl_screen(n: int) -> bool:
    """OpenSSL's verdict on whether ``n`` is prime, through the public ``cryptography`` API.

    ``RSAPrivateNumbers.private_key()`` validates the key with OpenSSL's RSA key check, which
    tests both factors for primality in C (Miller-Rabin with Montgomery arithmetic): pairing a
    candidate with the known prime M127 rejects a composite ~10x faster than Python's ``pow``.
    It is only a screen: :func:`_miller_rabin` below still decides, with bases from the seed.
    """
    try:
        lam = (n - 1) * (_PARTNER - 1) // math.gcd(n - 1, _PARTNER - 1)
        d = pow(PUBLIC_EXPONENT, -1, lam)
        numbers = rsa.RSAPrivateNumbers(
            n,
            _PARTNER,
            d,
            d % (n - 1),
            d % (_PARTNER - 1),
            pow(_PARTNER, -1, n),
            rsa.RSAPublicNumbers(PUBLIC_EXPONENT, n * _PARTNER),
        )
        numbers.private_key()
    except ValueError:
        return False
    return True


def _fermat_screen(n: int) -> bool:
    return pow(2, n - 1, n) == 1


@functools.cache
def _screen_function() -> Callable[[int], bool]:
    """The OpenSSL screen if this build really tests primality there, else a Fermat test.

    Checked once on known numbers (Mersenne primes M521 and M607, and their product, which
    has no small factor), so a backend whose key check skips primality cannot mislead us.
    """
    m521, m607 = (1 << 521) - 1, (1 << 607) - 1
    if _openssl_screen(m521) and _openssl_screen(m607) and not _openssl_screen(m521 * m607):
        return _openssl_screen
    return _fermat_screen


def _screen(n: int) -> bool:
    """Cheap rejection of most composites left by the sieve (never rejects a prime)."""
    return _screen_function()(n)


def _probable_prime(drbg: _Drbg, bits: int) -> int:
    # FIPS 186-4 table C.3: Miller-Rabin rounds for a 2^-100 error with primes of this size.
    rounds = 5 if bits <= 1024 else 4
    while True:
        # The top two bits set make p*q exactly 2*bits long.
        start = int.from_bytes(drbg.bytes(bits // 8), "big") | (3 << (bits - 2)) | 1
        composite = bytearray(_WINDOW)  # composite[k] covers start + 2k
        for p, half in _sieve_primes():
            k = (-(start % p) * half) % p
            if k < _WINDOW:
                composite[k::p] = b"\1" * ((_WINDOW - 1 - k) // p + 1)
        for k in range(_WINDOW):
            n = start + 2 * k
            if composite[k] or (n - 1) % PUBLIC_EXPONENT == 0:
                continue
            if not _screen(n):
                continue
            width = (bits + 7) // 8 + 8
            bases = [2 + int.from_bytes(drbg.bytes(width), "big") % (n - 3) for _ in range(rounds)]
            if _miller_rabin(n, bases):
                return n


@functools.lru_cache(maxsize=32)
def rsa_der_from_seed(seed: bytes, bits: int) -> bytes:
    """The PKCS#8 DER of the RSA key derived from ``seed`` (always the same for the same seed).

    Memoized per process: seeded keys are predictable by design, and a notebook that re-runs,
    or two Clouds with the same seed, should not search for the same primes twice.
    """
    drbg = _Drbg(b"rsa:" + seed)
    half = bits // 2
    while True:
        p, q = _probable_prime(drbg, half), _probable_prime(drbg, half)
        # FIPS 186-5 A.1.3: |p - q| > 2^(nlen/2 - 100).
        if abs(p - q).bit_length() <= half - 100:
            continue
        p, q = max(p, q), min(p, q)
        lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
        d = pow(PUBLIC_EXPONENT, -1, lam)
        numbers = rsa.RSAPrivateNumbers(
            p,
            q,
            d,
            d % (p - 1),
            d % (q - 1),
            pow(q, -1, p),
            rsa.RSAPublicNumbers(PUBLIC_EXPONENT, p * q),
        )
        # Both primes already passed OpenSSL's check (the screen) and our Miller-Rabin.
        return private_der(numbers.private_key(unsafe_skip_rsa_key_validation=True))


# -- signing ----------------------------------------------------------------------------------
def _sign_params(
    algorithm: str, digest: bool
) -> tuple[padding.AsymmetricPadding | None, hashes.HashAlgorithm | utils.Prehashed]:
    h = hash_for(algorithm)
    chosen: hashes.HashAlgorithm | utils.Prehashed = utils.Prehashed(h) if digest else h
    if algorithm.startswith("RSASSA_PSS"):
        # K-ASYM: MGF1 with the same hash, salt as long as the hash.
        return padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), chosen
    if algorithm.startswith("RSASSA_PKCS1_V1_5"):
        return padding.PKCS1v15(), chosen
    return None, chosen


def sign(key: PrivateKey, algorithm: str, message: bytes, digest: bool, seeded: bool) -> bytes:
    """Sign ``message`` (or its ``digest``); the caller has checked algorithm and lengths."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(message)
    pad, chosen = _sign_params(algorithm, digest)
    if isinstance(key, rsa.RSAPrivateKey):
        assert pad is not None
        return key.sign(message, pad, chosen)
    # In seed mode ECDSA uses RFC 6979 nonces, so a notebook shows the same signature each run.
    return key.sign(message, ec.ECDSA(chosen, deterministic_signing=seeded))


def verify(key: PublicKey, algorithm: str, message: bytes, digest: bool, signature: bytes) -> bool:
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, message)
            return True
        pad, chosen = _sign_params(algorithm, digest)
        if isinstance(key, rsa.RSAPublicKey):
            assert pad is not None
            key.verify(signature, message, pad, chosen)
        else:
            key.verify(signature, message, ec.ECDSA(chosen))
    except (InvalidSignature, ValueError):
        return False
    return True


# -- RSA encryption ---------------------------------------------------------------------------
def oaep_limit(bits: int, algorithm: str) -> int:
    """K-ASYM: the longest plaintext, bytes(key) - 2*bytes(hash) - 2 (RSA_2048/SHA-256: 190)."""
    return bits // 8 - 2 * digest_size(algorithm) - 2


def _oaep(algorithm: str) -> padding.OAEP:
    h = hash_for(algorithm)
    return padding.OAEP(mgf=padding.MGF1(h), algorithm=h, label=None)


def oaep_encrypt(key: rsa.RSAPublicKey, algorithm: str, plaintext: bytes) -> bytes:
    return key.encrypt(plaintext, _oaep(algorithm))


def oaep_decrypt(key: rsa.RSAPrivateKey, algorithm: str, ciphertext: bytes) -> bytes:
    if len(ciphertext) != key.key_size // 8:
        raise BadCiphertext
    try:
        return key.decrypt(ciphertext, _oaep(algorithm))
    except ValueError:
        raise BadCiphertext from None


# -- HMAC and key agreement ------------------------------------------------------------------
def hmac_tag(secret: bytes, algorithm: str, message: bytes) -> bytes:
    """RFC 2104 HMAC, as GenerateMac returns it (K-MAC)."""
    name = hash_for(algorithm).name  # "sha224", "sha256", ...
    return _hmac.new(secret, message, name).digest()


def ecdh(key: ec.EllipticCurvePrivateKey, peer_der: bytes) -> bytes:
    """K-DSS: the raw ECDH shared secret with a peer's DER SubjectPublicKeyInfo on our curve."""
    try:
        peer = serialization.load_der_public_key(peer_der)
    except (ValueError, UnsupportedAlgorithm):
        raise BadInput(
            "PublicKey must be a DER-encoded X.509 public key (SubjectPublicKeyInfo)."
        ) from None
    if not isinstance(peer, ec.EllipticCurvePublicKey):
        raise BadInput("PublicKey must be an elliptic curve public key.")
    if peer.curve.name != key.curve.name:
        raise BadInput(
            f"PublicKey is on curve {peer.curve.name}, but the KMS key is on {key.curve.name}; "
            "both key pairs must use the same curve."
        )
    return key.exchange(ec.ECDH(), peer)
