"""Signed PDFs for tests and benchmarks: a throw-away certificate authority made with
`cryptography`, signatures made with pyHanko (optionally with an RFC 3161 timestamp from
pyHanko's in-memory time-stamping authority). Nothing touches the network."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.documents import write_pdf

NOW = dt.datetime.now(dt.UTC)


@dataclass
class Identity:
    """A certificate and its key."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common: str, organisation: str | None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def make_root(common: str = "Thử nghiệm Root CA") -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common, "Tổ chức chứng thực thử nghiệm")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=3650))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(cert, key)


def issue(
    root: Identity,
    common: str,
    organisation: str | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    timestamping: bool = False,
    revocation_url: str | None = None,
) -> Identity:
    """An end-entity certificate signed by `root` (a signer's, or a TSA's when `timestamping`:
    RSA then, the only key pyHanko's in-memory TSA signs with)."""
    if timestamping:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common, organisation))
        .issuer_name(root.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - dt.timedelta(days=30))
        .not_valid_after(not_after or NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not timestamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()),
            critical=False,
        )
    )
    if revocation_url:  # where a validator that fetches would ask: CRL, OCSP, issuer's cert
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(f"{revocation_url}/crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        ).add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(f"{revocation_url}/ocsp"),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(f"{revocation_url}/ca.crt"),
                    ),
                ]
            ),
            critical=False,
        )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Identity(builder.sign(root.key, hashes.SHA256()), key)


def write_roots(folder: Path, *roots: Identity) -> Path:
    """A trust-roots folder as a deployment configures it: one PEM file per root."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, root in enumerate(roots):
        (folder / f"root-{n}.pem").write_bytes(root.pem())
    return folder


def sign(
    pdf: bytes,
    who: Identity,
    root: Identity,
    field: str = "ChuKy1",
    tsa: Identity | None = None,
    timestamp_at: dt.datetime | None = None,
) -> bytes:
    """`pdf` with one more signature by `who` (an incremental update, as signing tools do),
    timestamped by `tsa` (at `timestamp_at`, default now) when one is given."""
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(who.cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(who.key),
        cert_registry=SimpleCertificateStore.from_certs(
            [translate_pyca_cryptography_cert_to_asn1(root.cert)]
        ),
    )
    timestamper = None
    if tsa is not None:
        timestamper = DummyTimeStamper(
            tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa.cert),
            tsa_key=translate_pyca_cryptography_key_to_asn1(tsa.key),
            certs_to_embed=SimpleCertificateStore.from_certs(
                [translate_pyca_cryptography_cert_to_asn1(root.cert)]
            ),
            fixed_dt=timestamp_at,
        )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256"),
        signer=signer,
        timestamper=timestamper,
    )
    return out.getvalue()


def plain_pdf(tmp: Path) -> bytes:
    """The test công văn as a text PDF (fpdf2)."""
    return write_pdf(tmp / "plain.pdf").read_bytes()
