//! Extractors: what handlers take from a request besides its body (the client's address, path
//! and query parameters answered with the JSON error, the signed-in editor and their role).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::error::AppError;
use super::state::AppState;
use super::store::{self, Role};

/// The address of the client: the TCP peer, or behind a proxy the last `X-Forwarded-For` entry.
/// Requests without a peer (tests without `MockConnectInfo`) count as `0.0.0.0`.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if state.config.behind_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|v| v.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(peer.unwrap_or(IpAddr::from([0, 0, 0, 0]))))
    }
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
