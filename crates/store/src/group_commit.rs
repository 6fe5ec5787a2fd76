//! Group commit for check-ins at the door.
//!
//! Every tap must reach the disk before the phone is told "counted" (an acknowledged write
//! survives a crash), and on SQLite with `synchronous=FULL` that is one flush of the log per
//! commit. Taps arriving while a commit is under way wait in a queue; the writer takes the
//! whole queue into the next transaction, one flush and one bump of the audit chain for all of
//! them. Each tap still claims its own key, so a replay inside a batch or across batches counts
//! once. If a batch fails, its taps are tried one by one, so one bad tap cannot sink the rest.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::audit::{NewAuditEvent, append_audit_many};
use crate::sessions::Checkin;
use crate::sessions::{CheckinOutcome, Visit, claim_key, write_attendance};
use crate::{Result, Store};

/// The most taps in one transaction; more wait for the next.
const MAX_BATCH: usize = 256;

struct Job {
    at: Visit,
    actor: Option<Uuid>,
    checkin: Checkin,
    audit: NewAuditEvent,
    reply: oneshot::Sender<Result<CheckinOutcome>>,
}

/// The queue's sending end, made on first use inside the runtime that serves requests.
#[derive(Clone, Debug, Default)]
pub(crate) struct Queue(Arc<OnceLock<mpsc::UnboundedSender<Job>>>);

impl Store {
    /// Queue one tap and wait until it is committed (or found to be a replay).
    pub(crate) async fn commit_checkin(
        &self,
        at: Visit,
        actor: Option<Uuid>,
        checkin: Checkin,
        audit: NewAuditEvent,
    ) -> Result<CheckinOutcome> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            at,
            actor,
            checkin,
            audit,
            reply,
        };
        let sender = self.checkins.0.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            // The writer runs on its own task, so a request dropped half-way (the phone lost
            // its connection) cannot leave the taps of other phones uncommitted.
            tokio::spawn(self.clone().write_checkins(rx));
            tx
        });
        if let Err(mpsc::error::SendError(job)) = sender.send(job) {
            // The writer is gone (its runtime ended): write this one tap here.
            self.write_batch(vec![job]).await;
        }
        answer.await.unwrap_or_else(|_| {
            Err(crate::StoreError::Db(sea_orm::DbErr::Custom(
                "the check-in writer stopped".into(),
            )))
        })
    }

    async fn write_checkins(self, mut rx: mpsc::UnboundedReceiver<Job>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.write_batch(batch).await;
        }
    }

    /// Write a batch in one transaction and answer every tap. A failed batch of several taps
    /// is tried again tap by tap, so only the tap that fails gets the error.
    async fn write_batch(&self, batch: Vec<Job>) {
        match self.try_batch(&batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    // A phone that hung up does not mind.
                    let _ = job.reply.send(Ok(outcome));
                }
            }
            Err(e) if batch.len() == 1 => {
                if let Some(job) = batch.into_iter().next() {
                    let _ = job.reply.send(Err(e));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, taps = batch.len(), "a check-in batch failed; trying each tap alone");
                for job in batch {
                    Box::pin(self.write_batch(vec![job])).await;
                }
            }
        }
    }

    async fn try_batch(&self, batch: &[Job]) -> Result<Vec<CheckinOutcome>> {
        loop {
            let (_gate, txn) = self.begin_write().await?;
            let mut outcomes = Vec::with_capacity(batch.len());
            let mut audit: BTreeMap<Uuid, Vec<NewAuditEvent>> = BTreeMap::new();
            for job in batch {
                let c = &job.checkin;
                if let Some(key) = &c.key
                    && !claim_key(
                        &txn,
                        job.at.org_id,
                        key,
                        c.session_id,
                        c.household_id,
                        c.status,
                    )
                    .await?
                {
                    outcomes.push(CheckinOutcome::Replayed);
                    continue;
                }
                write_attendance(&txn, job.at, job.actor, c, false).await?;
                audit
                    .entry(job.at.org_id)
                    .or_default()
                    .push(job.audit.clone());
                outcomes.push(CheckinOutcome::Recorded);
            }
            let mut headless = Vec::new();
            for (org_id, events) in audit {
                if append_audit_many(&txn, org_id, events).await?.is_some() {
                    headless.push(org_id);
                }
            }
            if headless.is_empty() {
                txn.commit().await?;
                return Ok(outcomes);
            }
            txn.rollback().await?;
            drop(_gate);
            for org_id in headless {
                self.audit_ensure_head(org_id).await?;
            }
        }
    }
}
