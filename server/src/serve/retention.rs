//! Personal data kept no longer than needed: contact details are deleted
//! `contact_retention_days` after a consultation closes.
//!
//! A contact is kept only with the commenter's consent and only to follow up on the comment;
//! once the follow-up period after the consultation is over it has no purpose left. The server
//! checks once an hour (and at start) and clears the `contact` of every comment on a document
//! whose consultation closed more than that many days ago, in the writer's transaction together
//! with an audit entry (`actor` = `retention`) that says how many were cleared. Comments, names,
//! decisions and the published report stay.

use std::time::Duration;

use super::sql::params;

use super::db::DbError;
use super::state::AppState;
use super::store;

const CHECK_EVERY: Duration = Duration::from_secs(3600);

/// Runs the retention check now and then every hour, for as long as the server runs.
pub async fn run(state: AppState) {
    let mut every = tokio::time::interval(CHECK_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = purge_contacts(&state).await {
            tracing::error!(error = %e, "the contact retention check failed");
        }
    }
}

/// Clears the contacts that are past their retention; returns how many were cleared.
pub async fn purge_contacts(state: &AppState) -> Result<u64, DbError> {
    let now = state.clock.now();
    let keep = i64::from(state.config.contact_retention_days) * 86_400;
    let mut cleared = 0;
    for served in &state.site().documents {
        let Some(consultation) = &served.doc.consultation else {
            continue;
        };
        if now < consultation.closes.unix_seconds().saturating_add(keep) {
            continue;
        }
        let id = served.doc.id.clone();
        let at = store::format_time(now, AppState::offset_for(&served.doc));
        let days = state.config.contact_retention_days;
        cleared += state
            .writer
            .run(move |conn| {
                let n = conn.execute(
                    "UPDATE comments SET contact = NULL WHERE document_id = ?1 AND contact IS NOT NULL",
                    params![id],
                )?;
                if n > 0 {
                    let detail = serde_json::json!({ "cleared": n, "retentionDays": days });
                    store::audit(conn, &at, "retention", "delete-contacts", Some(&id), None, &detail)?;
                    tracing::info!(document = %id, cleared = n, "deleted contact details past their retention");
                }
                Ok(n)
            })
            .await?;
    }
    Ok(cleared)
}
