"""Reading and checking what ImportCertificate is given: a PEM certificate, its unencrypted
private key and an optional PEM chain, parsed for real with ``cryptography``.

The checks are the ones API_ImportCertificate.html lists (facts sheet 4.8): PEM encoding; one
certificate; private key unencrypted, no larger than 5 KB (5,120 bytes), matching the
certificate's public key; the current time between Not Before and Not After; a non-empty
Issuer; an OCSP URL of at most 1,000 characters; and "the cryptographic algorithm of an imported
certificate must match the algorithm of the signing CA". Key algorithms are the import column of
A-CHAR (facts 4.3): RSA 1024/2048/3072/4096 and EC P-256/P-384/P-521.

What ACM shows is read from the certificate here too: DomainName (the subject CN, or the first
DNS name when there is no CN), the names list, the serial as colon-separated lower-case hex
(AWS CLI describe-certificate example: ``0f:ac:b0:...``), SignatureAlgorithm in ACM's spelling
(``SHA256WITHRSA``, same example), key usages and extended key usages as the model's enums.
Every failure is a ``ValidationException``; AWS documents no message texts, so all messages
here are ours, in AWS's style (marked [U]).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID, NameOID

from simulator.core.errors import ValidationException
from simulator.services.acm.model import ExtendedKeyUsage, KeyAlgorithm

MAX_PRIVATE_KEY_BYTES = 5_120  # "no larger than 5 KB (5,120 bytes)" (API_ImportCertificate)
MAX_OCSP_URL = 1_000  # "The OCSP authority URL, if present, must not exceed 1000 characters"
_BEGIN_CERT = b"-----BEGIN CERTIFICATE-----"

_RSA_SIZES = {1024: KeyAlgorithm.RSA_1024, 2048: KeyAlgorithm.RSA_2048,
              3072: KeyAlgorithm.RSA_3072, 4096: KeyAlgorithm.RSA_4096}  # fmt: skip
_CURVES = {"secp256r1": KeyAlgorithm.EC_PRIME256V1, "secp384r1": KeyAlgorithm.EC_SECP384R1,
           "secp521r1": KeyAlgorithm.EC_SECP521R1}  # fmt: skip

# signature OID -> ACM's name for it (Java-style, upper case, as in SHA256WITHRSA)
_SIGNATURES = {
    "1.2.840.113549.1.1.4": "MD5WITHRSA",
    "1.2.840.113549.1.1.5": "SHA1WITHRSA",
    "1.2.840.113549.1.1.14": "SHA224WITHRSA",
    "1.2.840.113549.1.1.11": "SHA256WITHRSA",
    "1.2.840.113549.1.1.12": "SHA384WITHRSA",
    "1.2.840.113549.1.1.13": "SHA512WITHRSA",
    "1.2.840.10045.4.1": "SHA1WITHECDSA",
    "1.2.840.10045.4.3.1": "SHA224WITHECDSA",
    "1.2.840.10045.4.3.2": "SHA256WITHECDSA",
    "1.2.840.10045.4.3.3": "SHA384WITHECDSA",
    "1.2.840.10045.4.3.4": "SHA512WITHECDSA",
}
_RSASSA_PSS = "1.2.840.113549.1.1.10"

# KeyUsage extension bit (cryptography's attribute) -> the model's KeyUsageName
_KEY_USAGES = (
    ("digital_signature", "DIGITAL_SIGNATURE"),
    ("content_commitment", "NON_REPUDIATION"),
    ("key_encipherment", "KEY_ENCIPHERMENT"),
    ("data_encipherment", "DATA_ENCIPHERMENT"),
    ("key_agreement", "KEY_AGREEMENT"),
    ("key_cert_sign", "CERTIFICATE_SIGNING"),
    ("crl_sign", "CRL_SIGNING"),
)
# ExtendedKeyUsage OID -> the model's ExtendedKeyUsageName (RFC 5280 4.2.1.12, RFC 4945)
_EKUS = {
    "1.3.6.1.5.5.7.3.1": "TLS_WEB_SERVER_AUTHENTICATION",
    "1.3.6.1.5.5.7.3.2": "TLS_WEB_CLIENT_AUTHENTICATION",
    "1.3.6.1.5.5.7.3.3": "CODE_SIGNING",
    "1.3.6.1.5.5.7.3.4": "EMAIL_PROTECTION",
    "1.3.6.1.5.5.7.3.5": "IPSEC_END_SYSTEM",
    "1.3.6.1.5.5.7.3.6": "IPSEC_TUNNEL",
    "1.3.6.1.5.5.7.3.7": "IPSEC_USER",
    "1.3.6.1.5.5.7.3.8": "TIME_STAMPING",
    "1.3.6.1.5.5.7.3.9": "OCSP_SIGNING",
    "2.5.29.37.0": "ANY",
}


@dataclass(frozen=True)
class ParsedImport:
    """Everything ACM keeps from one ImportCertificate call (the key only as PKCS#8 DER)."""

    certificate_pem: str
    chain_pem: str | None
    key_der: bytes
    domain_name: str | None
    names: list[str]
    serial: str
    subject: str
    issuer: str
    not_before: _dt.datetime
    not_after: _dt.datetime
    key_algorithm: KeyAlgorithm
    signature_algorithm: str
    key_usages: list[str]
    extended_key_usages: list[ExtendedKeyUsage]

    def __repr__(self) -> str:  # never show the key, even by accident
        return f"<ParsedImport {self.domain_name} {self.key_algorithm.value}>"


def _load_certificates(data: bytes, what: str) -> list[x509.Certificate]:
    if _BEGIN_CERT not in data:
        raise ValidationException(f"The {what} is not PEM-encoded.")  # [U]
    try:
        return x509.load_pem_x509_certificates(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValidationException(f"Unable to parse the {what}.") from None  # [U]


def key_algorithm_of(public: object) -> KeyAlgorithm | None:
    if isinstance(public, rsa.RSAPublicKey):
        return _RSA_SIZES.get(public.key_size)
    if isinstance(public, ec.EllipticCurvePublicKey):
        return _CURVES.get(public.curve.name)
    return None


def _spki(public: object) -> bytes:
    assert isinstance(public, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey))
    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _private_key(data: bytes) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if len(data) > MAX_PRIVATE_KEY_BYTES:
        raise ValidationException(
            "The private key must be no larger than 5 KB (5,120 bytes)."
        )  # [U]
    if b"-----BEGIN" not in data:
        raise ValidationException("The private key is not PEM-encoded.")  # [U]
    if b"ENCRYPTED" in data:
        raise ValidationException(
            "The private key is encrypted. Import an unencrypted private key."
        )  # [U]
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:  # cryptography: a password is needed, i.e. the key is encrypted
        raise ValidationException(
            "The private key is encrypted. Import an unencrypted private key."
        ) from None  # [U]
    except (ValueError, UnsupportedAlgorithm):
        raise ValidationException("Unable to parse the private key.") from None  # [U]
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise ValidationException("The private key algorithm is not supported.")  # [U]
    return key


def _names(cert: x509.Certificate) -> tuple[str | None, list[str]]:
    cns = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = [str(n) for n in san.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        dns = []
    # CertificateDetail.SubjectAlternativeNames "include the canonical domain name (CN) of the
    # certificate and additional domain names" (model documentation).
    names = list(dict.fromkeys(cns[:1] + dns))
    domain = cns[0] if cns else (dns[0] if dns else None)
    return domain, names


def serial_text(serial: int) -> str:
    digits = format(serial, "x")
    if len(digits) % 2:
        digits = "0" + digits
    return ":".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def _issuer_text(cert: x509.Certificate) -> str:
    # The AWS CLI example shows an Amazon-issued certificate's Issuer as "Amazon", the O of
    # its issuer; the CN and then the whole name stand in when there is no O. [U]
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        found = cert.issuer.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return cert.issuer.rfc4514_string()


def signature_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid.dotted_string
    if oid in _SIGNATURES:
        return _SIGNATURES[oid]
    if oid == _RSASSA_PSS:
        try:
            digest = cert.signature_hash_algorithm
        except UnsupportedAlgorithm:
            digest = None
        return f"{digest.name.upper() if digest else 'SHA256'}WITHRSAANDMGF1"  # [U]
    return oid  # [U] an algorithm ACM has no name for


def _usages(cert: x509.Certificate) -> tuple[list[str], list[ExtendedKeyUsage]]:
    # Captured ListCertificates output of an imported certificate without these extensions
    # shows KeyUsages ["ANY"] and ExtendedKeyUsages ["NONE"]. [3P]
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        key_usages = [name for attr, name in _KEY_USAGES if getattr(ku, attr)]
        if ku.key_agreement:
            key_usages += ["ENCIPHER_ONLY"] if ku.encipher_only else []
            key_usages += ["DECIPHER_ONLY"] if ku.decipher_only else []
    except x509.ExtensionNotFound:
        key_usages = ["ANY"]
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        ekus = [
            ExtendedKeyUsage(_EKUS.get(o.dotted_string, "CUSTOM"), o.dotted_string) for o in eku
        ]
    except x509.ExtensionNotFound:
        ekus = [ExtendedKeyUsage("NONE")]
    return key_usages, ekus


def _check_ocsp(cert: x509.Certificate) -> None:
    try:
        aia = cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    except x509.ExtensionNotFound:
        return
    assert isinstance(aia.value, x509.AuthorityInformationAccess)
    for desc in aia.value:
        if desc.access_method == AuthorityInformationAccessOID.OCSP and (
            len(str(desc.access_location.value)) > MAX_OCSP_URL
        ):
            raise ValidationException(
                "The OCSP authority URL in the certificate must not exceed 1000 characters."
            )  # [U]


def _check_chain(
    leaf: x509.Certificate, algorithm: KeyAlgorithm, chain: list[x509.Certificate]
) -> None:
    issuer = next((c for c in chain if c.subject == leaf.issuer), None)
    if issuer is None:
        raise ValidationException(
            "Could not validate the certificate with the certificate chain."
        )  # [U]
    try:
        ca_key = issuer.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise ValidationException(
            "Could not validate the certificate with the certificate chain."
        ) from None  # [U]
    ca_algorithm = key_algorithm_of(ca_key)
    ca_family = ca_algorithm.family if ca_algorithm else type(ca_key).__name__.lstrip("_")
    if ca_family != algorithm.family:
        # "The cryptographic algorithm of an imported certificate must match the algorithm of
        # the signing CA" (API_ImportCertificate.html)
        raise ValidationException(
            f"The certificate key algorithm ({algorithm.family}) must match the algorithm of "
            f"the signing CA ({ca_family})."
        )  # [U]
    try:
        leaf.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        raise ValidationException(
            "Could not validate the certificate with the certificate chain."
        ) from None  # [U]


def parse_import(
    certificate: bytes, private_key: bytes, chain: bytes | None, now: _dt.datetime
) -> ParsedImport:
    """Check one import against the documented requirements; raise ValidationException."""
    if certificate.count(_BEGIN_CERT) > 1:
        raise ValidationException(
            "The certificate field contains more than one certificate. You can specify only "
            "one certificate in this field."
        )  # [U]
    cert = _load_certificates(certificate, "certificate")[0]
    try:  # cryptography parses names and extensions lazily: malformed ones fail here
        _ = cert.subject, cert.issuer, cert.extensions
    except ValueError:
        raise ValidationException("Unable to parse the certificate.") from None  # [U]
    key = _private_key(private_key)
    try:
        public = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise ValidationException("The certificate's public key is not supported.") from None  # [U]
    algorithm = key_algorithm_of(public)
    if algorithm is None:
        raise ValidationException(
            "The certificate key algorithm is not supported. ACM imports RSA 1024, 2048, 3072 "
            "and 4096 bit keys and EC prime256v1, secp384r1 and secp521r1 keys."
        )  # [U]
    if _spki(key.public_key()) != _spki(public):
        raise ValidationException(
            "The private key does not match the public key in the certificate."
        )  # [U]
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    if not not_before <= now <= not_after:
        raise ValidationException(
            "The certificate is not valid at the current date and time: it is valid from "
            f"{not_before:%Y-%m-%dT%H:%M:%SZ} to {not_after:%Y-%m-%dT%H:%M:%SZ}."
        )  # [U]
    if len(cert.issuer) == 0:
        raise ValidationException("The certificate's Issuer field must not be empty.")  # [U]
    _check_ocsp(cert)
    # The chain is optional (a self-signed certificate needs none); when given, it must hold
    # the certificate's issuer, whose signature on the certificate must verify.
    chain_certs: list[x509.Certificate] = []
    if chain is not None:
        chain_certs = _load_certificates(chain, "certificate chain")
        _check_chain(cert, algorithm, chain_certs)
    domain, names = _names(cert)
    key_usages, ekus = _usages(cert)
    pem = serialization.Encoding.PEM
    return ParsedImport(
        certificate_pem=cert.public_bytes(pem).decode(),
        chain_pem="".join(c.public_bytes(pem).decode() for c in chain_certs) or None,
        key_der=key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        domain_name=domain,
        names=names,
        serial=serial_text(cert.serial_number),
        subject=cert.subject.rfc4514_string(),
        issuer=_issuer_text(cert),
        not_before=not_before,
        not_after=not_after,
        key_algorithm=algorithm,
        signature_algorithm=signature_name(cert),
        key_usages=key_usages,
        extended_key_usages=ekus,
    )
