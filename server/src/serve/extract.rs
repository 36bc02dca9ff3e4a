//! Extractors: what handlers take from a request besides its body (the client's address, path
//! and query parameters answered with the JSON error, the signed-in editor and their role).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::error::AppError;
use super::state::AppState;
use super::store::{self, Role};

/// The address of the client: the TCP peer, or behind a proxy the last `X-Forwarded-For` entry.
/// Requests without a peer (tests without `MockConnectInfo`) count as `0.0.0.0`.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(ClientIp(client_ip(
            &parts.headers,
            peer,
            state.config.behind_proxy,
        )))
    }
}

/// The client's address. Behind a proxy, only the **last** `X-Forwarded-For` entry counts: the
/// proxy appends the address it saw, and everything before it was written by the client and can
/// say anything. That entry may carry a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`). When it is
/// missing or unreadable, the peer (the proxy) is the client: a limit then applies to the proxy
/// as a whole, which is safer than trusting a client-written entry.
pub fn client_ip(headers: &HeaderMap, peer: IpAddr, behind_proxy: bool) -> IpAddr {
    if !behind_proxy {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|entry| parse_forwarded_ip(entry.trim()))
        .unwrap_or(peer)
}

/// `IP`, `IPv4:port`, `[IPv6]` or `[IPv6]:port`.
fn parse_forwarded_ip(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = entry.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    entry
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|v6| v6.parse::<std::net::Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

/// `Path`, with its rejection answered as an [`AppError`] (JSON, localised).
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(t)| ApiPath(t))
            .map_err(|e| AppError::BadParameter {
                name: "path".into(),
                detail: e.body_text(),
            })
    }
}

/// `Query`, with its rejection answered as an [`AppError`].
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(t)| ApiQuery(t))
            .map_err(|e| AppError::BadParameter {
                name: "query".into(),
                detail: e.body_text(),
            })
    }
}

/// The bearer token of a request.
fn bearer(parts: &Parts) -> Result<String, AppError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or(AppError::MissingToken)?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or(AppError::InvalidToken)
}

/// The holder of a valid bearer token, with the token's role.
pub struct Staff {
    pub name: String,
    pub role: Role,
}

impl Staff {
    /// Refuses (403) unless the role is at least `role`.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(AppError::RoleRequired(role))
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts)?;
        state
            .reads
            .run(move |conn| store::staff_for_token(conn, &token))
            .await?
            .map(|(name, role)| Staff { name, role })
            .ok_or(AppError::InvalidToken)
    }
}

/// An editor (any role), identified by a valid bearer token: the token's name.
pub struct Editor(pub String);

impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Staff::from_request_parts(parts, state)
            .await
            .map(|staff| Editor(staff.name))
    }
}
