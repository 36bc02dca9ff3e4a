//! TLS to PostgreSQL: what the database URL asks for, and the rustls connector every connection
//! to PostgreSQL is made with (the pool's, the listener's, the commands').
//!
//! It exists because a city's PostgreSQL often runs on another machine or as a managed service,
//! where the connection crosses a network jiedu does not own. tokio-postgres negotiates TLS
//! (`sslmode`) but leaves the handshake to a connector; this one runs rustls (with ring and
//! Mozilla's roots, which `ureq` already brings) through tokio-rustls.
//!
//! `sslmode` means what it means to libpq, except that asking for TLS always verifies:
//! - `disable`: plain.
//! - `prefer` (the default): TLS if the server offers it, else plain; the certificate is not
//!   verified, as libpq does not. It only hides the traffic from a listener: an impostor can
//!   refuse TLS anyway.
//! - `require` and `verify-full`: TLS or no connection; the certificate must chain to a trusted CA
//!   (Mozilla's roots, plus those of `sslrootcert=PATH`) and name the host of the URL.
//! - `verify-ca`: as `require`, without checking the name.
//!
//! `sslrootcert` (libpq's name) asks for verification too: with `prefer`, or no `sslmode`, it
//! makes TLS required. tokio-postgres knows neither `sslrootcert` nor the `verify-*` modes, so
//! [`settings`] takes them out of the URL before handing it over. A CA file that cannot be read,
//! or that holds no certificate, is an error when the command starts, naming the file; a
//! certificate the server presents and that fails verification fails its connection with a
//! message saying why (a request then gets 503, as when the database is down).
//!
//! The stream offers SCRAM its channel binding (`tls-server-end-point`, the hash of the server's
//! certificate), so a password login over TLS also proves that no one relays the connection.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::config::SslMode;
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

/// A PostgreSQL URL that cannot be used: the command refuses to start. (`sql.rs` makes it a
/// `DbError`; this module does not know that type.)
#[derive(Debug, thiserror::Error)]
pub enum PgUrlError {
    /// tokio-postgres' reason.
    #[error("{0}")]
    Syntax(String),
    /// `reason` is in the message and is not a `source`, so it is not said twice.
    #[error("cannot read sslrootcert={path}: {reason}")]
    RootCertUnreadable { path: PathBuf, reason: io::Error },
    #[error("sslrootcert={path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    RootCertEmpty { path: PathBuf },
    #[error("sslrootcert={path}: not a usable CA certificate: {message}")]
    RootCertInvalid { path: PathBuf, message: String },
    #[error(
        "sslrootcert asks to verify the server's certificate, but sslmode=disable connects \
         without TLS; remove one of them"
    )]
    RootCertWithoutTls,
}

/// What is checked of the certificate the server presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Nothing (`prefer`): encryption against listeners only.
    Nothing,
    /// That it chains to a trusted CA (`verify-ca`).
    Chain,
    /// That it chains to a trusted CA and names the host (`require`, `verify-full`).
    ChainAndName,
}

/// The URL without the parameters only jiedu reads, and what they said.
#[derive(Debug, PartialEq, Eq)]
struct Split {
    url: String,
    root_cert: Option<String>,
    /// `verify-ca` or `verify-full`, which tokio-postgres does not parse.
    verify: Option<Check>,
}

/// The URL parsed for tokio-postgres, set to the `sslmode` it negotiates; what is checked of
/// the certificate; the CA file named. No file is read (a syntax check, as for `--print-config`).
pub fn parse(url: &str) -> Result<(tokio_postgres::Config, Check, Option<PathBuf>), PgUrlError> {
    let Split {
        url: rest,
        root_cert,
        verify,
    } = split(url);
    let mut config: tokio_postgres::Config = rest
        .parse()
        .map_err(|e: tokio_postgres::Error| PgUrlError::Syntax(e.to_string()))?;
    let check = match (config.get_ssl_mode(), verify, &root_cert) {
        (_, Some(check), _) => check,
        (SslMode::Disable, None, Some(_)) => return Err(PgUrlError::RootCertWithoutTls),
        (SslMode::Disable | SslMode::Prefer, None, None) => Check::Nothing,
        _ => Check::ChainAndName,
    };
    if check != Check::Nothing {
        config.ssl_mode(SslMode::Require);
    }
    Ok((config, check, root_cert.map(PathBuf::from)))
}

/// The tokio-postgres configuration of `url` and the connector to connect with: reads the CA
/// file the URL names.
pub fn settings(url: &str) -> Result<(tokio_postgres::Config, MakeRustls), PgUrlError> {
    let (config, check, root_cert) = parse(url)?;
    let roots = roots(root_cert.as_deref())?;
    Ok((config, MakeRustls::new(check, roots)))
}

/// Takes `sslrootcert` and `sslmode=verify-ca|verify-full` out of a `postgres://` URL's query.
fn split(url: &str) -> Split {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let (mut root_cert, mut verify) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslrootcert", value)) => root_cert = Some(percent_decode(value)),
            Some(("sslmode", "verify-ca")) => verify = Some(Check::Chain),
            Some(("sslmode", "verify-full")) => verify = Some(Check::ChainAndName),
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Split {
        url,
        root_cert,
        verify,
    }
}

/// `%2F` → `/`: a URL's escapes (a path with a space is written `%20`).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Mozilla's roots, and the certificates of `file` (libpq's `sslrootcert`; `system` names no
/// file, as in libpq 16: the usual roots).
fn roots(file: Option<&Path>) -> Result<RootCertStore, PgUrlError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let Some(path) = file.filter(|p| *p != Path::new("system")) else {
        return Ok(roots);
    };
    let invalid = |message: String| PgUrlError::RootCertInvalid {
        path: path.to_owned(),
        message,
    };
    let pem = std::fs::read(path).map_err(|reason| PgUrlError::RootCertUnreadable {
        path: path.to_owned(),
        reason,
    })?;
    let mut found = 0;
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| invalid(e.to_string()))?;
        roots.add(cert).map_err(|e| invalid(e.to_string()))?;
        found += 1;
    }
    if found == 0 {
        return Err(PgUrlError::RootCertEmpty {
            path: path.to_owned(),
        });
    }
    Ok(roots)
}

/// Makes the TLS connector of each connection (tokio-postgres' [`MakeTlsConnect`]).
#[derive(Clone)]
pub struct MakeRustls {
    config: Arc<ClientConfig>,
}

impl MakeRustls {
    fn new(check: Check, roots: RootCertStore) -> MakeRustls {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(Verifier {
            check,
            roots: Arc::new(roots),
            algorithms: provider.signature_verification_algorithms,
        });
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        // PostgreSQL 17's direct TLS (`sslnegotiation=direct`) requires it; older servers ignore it.
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        MakeRustls {
            config: Arc::new(config),
        }
    }
}

impl<S> MakeTlsConnect<S> for MakeRustls
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = io::Error;

    /// `host` may be empty (a Unix socket, where the server refuses TLS anyway): the name is
    /// only checked when a handshake starts.
    fn make_tls_connect(&mut self, host: &str) -> Result<RustlsConnect, io::Error> {
        Ok(RustlsConnect {
            config: self.config.clone(),
            host: host.to_owned(),
        })
    }
}

/// The TLS handshake of one connection to `host`.
pub struct RustlsConnect {
    config: Arc<ClientConfig>,
    host: String,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let name = ServerName::try_from(self.host.clone()).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "`{}` cannot be checked against a certificate: {e}",
                        self.host
                    ),
                )
            })?;
            tokio_rustls::TlsConnector::from(self.config)
                .connect(name, stream)
                .await
                .map(RustlsStream)
                .map_err(|e| explain(e, &self.host))
        })
    }
}

/// A handshake's failure in words an operator can act on.
fn explain(e: io::Error, host: &str) -> io::Error {
    let Some(rustls::Error::InvalidCertificate(why)) =
        e.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>())
    else {
        return e;
    };
    let why = match why {
        CertificateError::UnknownIssuer => {
            "it is not signed by a trusted CA (UnknownIssuer); name the CA that signed it with \
             sslrootcert=PATH in the database URL"
                .to_owned()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            format!("{why}; connect with the name the certificate gives, or use sslmode=verify-ca")
        }
        other => other.to_string(),
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the certificate of the PostgreSQL server {host} was refused: {why}"),
    )
}

/// A connection's TLS stream.
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    /// `tls-server-end-point` (RFC 5929), which SCRAM-SHA-256-PLUS signs: a password login then
    /// proves that the server knowing the password is the one this TLS session reached, so an
    /// impostor relaying the connection is found out, even under `prefer`'s unverified TLS.
    fn channel_binding(&self) -> ChannelBinding {
        let certificate = self
            .0
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|c| c.first());
        match certificate.and_then(|c| server_end_point(c)) {
            Some(hash) => ChannelBinding::tls_server_end_point(hash),
            None => ChannelBinding::none(),
        }
    }
}

/// The certificate hashed with the hash of its signature (SHA-256 for MD5 and SHA-1, RFC 5929
/// §4.1); `None` for the signatures whose hash this does not read (RSA-PSS, Ed25519).
fn server_end_point(certificate: &[u8]) -> Option<Vec<u8>> {
    use sha2::{Digest, Sha256, Sha384, Sha512};
    // sha*WithRSAEncryption: 1.2.840.113549.1.1.{4,5,11,12,13}
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    // ecdsa-with-SHA1: 1.2.840.10045.4.1; ecdsa-with-SHA{256,384,512}: 1.2.840.10045.4.3.{2,3,4}
    const ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04];
    let oid = signature_algorithm(certificate)?;
    let bits = match (oid.strip_prefix(RSA), oid.strip_prefix(ECDSA)) {
        (Some([0x04 | 0x05 | 0x0b]), _) | (_, Some([0x01] | [0x03, 0x02])) => 256,
        (Some([0x0c]), _) | (_, Some([0x03, 0x03])) => 384,
        (Some([0x0d]), _) | (_, Some([0x03, 0x04])) => 512,
        _ => return None,
    };
    Some(match bits {
        256 => Sha256::digest(certificate).to_vec(),
        384 => Sha384::digest(certificate).to_vec(),
        _ => Sha512::digest(certificate).to_vec(),
    })
}

/// The OID of a DER certificate's `signatureAlgorithm`: `Certificate ::= SEQUENCE {
/// tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { algorithm OID, … }, … }`.
fn signature_algorithm(certificate: &[u8]) -> Option<&[u8]> {
    const SEQUENCE: u8 = 0x30;
    let (certificate, _) = der(certificate, SEQUENCE)?;
    let (_to_be_signed, rest) = der(certificate, SEQUENCE)?;
    let (algorithm, _) = der(rest, SEQUENCE)?;
    der(algorithm, 0x06).map(|(oid, _)| oid)
}

/// The DER element of type `tag` that `input` starts with: its contents, and what follows it.
fn der(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&[found, first], rest) = input.split_first_chunk::<2>()?;
    if found != tag {
        return None;
    }
    let (len, rest) = match first {
        short @ 0..0x80 => (usize::from(short), rest),
        long => {
            let width = usize::from(long & 0x7f);
            if !(1..=4).contains(&width) || rest.len() < width {
                return None;
            }
            let (len, rest) = rest.split_at(width);
            let len = len.iter().fold(0, |n, b| n << 8 | usize::from(*b));
            (len, rest)
        }
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Checks the server's certificate as [`Check`] says; the handshake's signatures always.
#[derive(Debug)]
struct Verifier {
    check: Check,
    roots: Arc<RootCertStore>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.check == Check::Nothing {
            return Ok(ServerCertVerified::assertion());
        }
        let cert = ParsedCertificate::try_from(end_entity)?;
        verify_server_cert_signed_by_trust_anchor(
            &cert,
            &self.roots,
            intermediates,
            now,
            self.algorithms.all,
        )?;
        if self.check == Check::ChainAndName {
            verify_server_name(&cert, server_name)?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jiedu_s_own_parameters_are_taken_out_of_the_url() {
        let split = split(
            "postgres://u@db/j?sslmode=verify-full&sslrootcert=%2Fetc%2Fca%20x.pem&connect_timeout=5",
        );
        assert_eq!(
            split,
            Split {
                url: "postgres://u@db/j?connect_timeout=5".into(),
                root_cert: Some("/etc/ca x.pem".into()),
                verify: Some(Check::ChainAndName),
            }
        );
        assert_eq!(
            split_url("postgres://u@db/j?sslmode=verify-ca"),
            "postgres://u@db/j"
        );
        assert_eq!(
            split_url("postgres://u@db/j?sslmode=require"),
            "postgres://u@db/j?sslmode=require"
        );
    }

    fn split_url(url: &str) -> String {
        split(url).url
    }

    fn check_of(url: &str) -> Result<(SslMode, Check), String> {
        let (config, check, _) = parse(url).map_err(|e| e.to_string())?;
        Ok((config.get_ssl_mode(), check))
    }

    #[test]
    fn sslmode_decides_whether_tls_is_required_and_what_is_verified() {
        let base = "postgres://u@db/j";
        let cases = [
            ("", Ok((SslMode::Prefer, Check::Nothing))),
            ("?sslmode=disable", Ok((SslMode::Disable, Check::Nothing))),
            ("?sslmode=prefer", Ok((SslMode::Prefer, Check::Nothing))),
            (
                "?sslmode=require",
                Ok((SslMode::Require, Check::ChainAndName)),
            ),
            ("?sslmode=verify-ca", Ok((SslMode::Require, Check::Chain))),
            (
                "?sslmode=verify-full",
                Ok((SslMode::Require, Check::ChainAndName)),
            ),
            (
                "?sslrootcert=system",
                Ok((SslMode::Require, Check::ChainAndName)),
            ),
            (
                "?sslmode=prefer&sslrootcert=system",
                Ok((SslMode::Require, Check::ChainAndName)),
            ),
            (
                "?sslmode=disable&sslrootcert=system",
                Err(PgUrlError::RootCertWithoutTls.to_string()),
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(check_of(&format!("{base}{query}")), expected, "{query}");
        }
    }

    #[test]
    fn a_ca_file_that_cannot_be_used_is_named() {
        let dir = std::env::temp_dir().join(format!("jiedu-pg-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let missing = dir.join("missing.pem");
        for (file, expected) in [
            (
                &empty,
                format!("sslrootcert={} holds no PEM", empty.display()),
            ),
            (
                &missing,
                format!("cannot read sslrootcert={}: ", missing.display()),
            ),
        ] {
            let url = format!(
                "postgres://u@db/j?sslmode=require&sslrootcert={}",
                file.display()
            );
            let error = settings(&url).err().expect("refused").to_string();
            assert!(error.starts_with(&expected), "{error}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
