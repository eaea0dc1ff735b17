//! `Transport`'s operations on Redis: blobs, the job stream and its consumer group, dead
//! letters, reply streams and heartbeats, over the connections `RedisTransport` keeps.
use std::time::Duration;

use pixelpool_queue::transport::{
    blob_key, Delivery, RemoteJob, Reply, Transport, TransportError, TransportResult, WorkerLoad,
};
use redis::streams::{
    StreamAutoClaimReply, StreamId, StreamPendingCountReply, StreamRangeReply, StreamReadReply,
};

use super::{
    failed, millis, RedisTransport, GROUP, IDLE_KEY_TTL_SECONDS, RESPONSE_TIMEOUT, TAKE_BACK_SCRIPT,
};

impl Transport for RedisTransport {
    fn put_blob(&self, bytes: &[u8], ttl: Duration) -> TransportResult<String> {
        let key = blob_key(bytes);
        self.run::<()>(
            redis::cmd("SET")
                .arg(self.key(&format!("blob:{key}")))
                .arg(bytes)
                .arg("PX")
                .arg(millis(ttl)),
        )
        .map_err(failed("SET blob"))?;
        Ok(key)
    }

    fn get_blob(&self, key: &str) -> TransportResult<Option<Vec<u8>>> {
        self.run(redis::cmd("GET").arg(self.key(&format!("blob:{key}"))))
            .map_err(failed("GET blob"))
    }

    fn delete_blob(&self, key: &str) -> TransportResult<()> {
        self.run(redis::cmd("UNLINK").arg(self.key(&format!("blob:{key}"))))
            .map_err(failed("UNLINK blob"))
    }

    fn push(&self, job: &RemoteJob) -> TransportResult<String> {
        let text = serde_json::to_string(job)
            .map_err(|e| TransportError(format!("cannot encode job: {e}")))?;
        let jobs = self.key("jobs");
        let mut pipe = redis::pipe();
        pipe.cmd("XADD").arg(&jobs).arg("*").arg("job").arg(text);
        pipe.cmd("EXPIRE")
            .arg(&jobs)
            .arg(IDLE_KEY_TTL_SECONDS)
            .ignore();
        let (tag,): (String,) = self
            .on(&self.commands, RESPONSE_TIMEOUT, |c| pipe.query(c))
            .map_err(failed("XADD job"))?;
        Ok(tag)
    }

    fn withdraw(&self, tag: &str) -> TransportResult<()> {
        self.remove(tag)
    }

    fn take_back(&self, tag: &str) -> TransportResult<bool> {
        // Atomic in Redis: a worker cannot read the entry between the check and the XDEL.
        let taken: i64 = self
            .run(
                redis::cmd("EVAL")
                    .arg(TAKE_BACK_SCRIPT)
                    .arg(1)
                    .arg(self.key("jobs"))
                    .arg(tag)
                    .arg(GROUP),
            )
            .map_err(failed("take back"))?;
        Ok(taken == 1)
    }

    fn reserve(&self, worker: &str, wait: Duration) -> TransportResult<Option<Delivery>> {
        let reply: Option<StreamReadReply> = self
            .with_group(|| {
                self.on(&self.reserving, RESPONSE_TIMEOUT + wait, |c| {
                    redis::cmd("XREADGROUP")
                        .arg("GROUP")
                        .arg(GROUP)
                        .arg(worker)
                        .arg("COUNT")
                        .arg(1)
                        .arg("BLOCK")
                        .arg(millis(wait))
                        .arg("STREAMS")
                        .arg(self.key("jobs"))
                        .arg(">")
                        .query(c)
                })
            })
            .map_err(failed("XREADGROUP"))?;
        let entry = reply
            .and_then(|r| r.keys.into_iter().next())
            .and_then(|k| k.ids.into_iter().next());
        Ok(entry.map(|entry| Self::delivery(&entry, 1)))
    }

    fn reclaim(&self, worker: &str, idle: Duration) -> TransportResult<Vec<Delivery>> {
        let jobs = self.key("jobs");
        let claimed: StreamAutoClaimReply = self
            .with_group(|| {
                self.run(
                    redis::cmd("XAUTOCLAIM")
                        .arg(&jobs)
                        .arg(GROUP)
                        .arg(worker)
                        .arg(millis(idle))
                        .arg("0-0")
                        .arg("COUNT")
                        .arg(100),
                )
            })
            .map_err(failed("XAUTOCLAIM"))?;
        claimed
            .claimed
            .iter()
            .map(|entry| {
                let pending: StreamPendingCountReply = self
                    .run(
                        redis::cmd("XPENDING")
                            .arg(&jobs)
                            .arg(GROUP)
                            .arg(&entry.id)
                            .arg(&entry.id)
                            .arg(1),
                    )
                    .map_err(failed("XPENDING"))?;
                let attempts = pending.ids.first().map_or(1, |p| p.times_delivered as u32);
                Ok(Self::delivery(entry, attempts))
            })
            .collect()
    }

    fn ack(&self, delivery: &Delivery) -> TransportResult<()> {
        self.remove(&delivery.tag)
    }

    fn fail(&self, delivery: &Delivery, reason: &str) -> TransportResult<()> {
        let what = match &delivery.job {
            Ok(job) => job.id.to_string(),
            Err(raw) => raw.clone(),
        };
        let dead = self.key("dead");
        let mut pipe = redis::pipe();
        pipe.cmd("XADD")
            .arg(&dead)
            .arg("*")
            .arg("job")
            .arg(what)
            .arg("reason")
            .arg(reason)
            .ignore();
        pipe.cmd("EXPIRE")
            .arg(&dead)
            .arg(IDLE_KEY_TTL_SECONDS)
            .ignore();
        self.run_pipe(&pipe).map_err(failed("XADD dead letter"))?;
        self.remove(&delivery.tag)
    }

    fn dead_letters(&self) -> TransportResult<Vec<(String, String)>> {
        let range: StreamRangeReply = self
            .run(redis::cmd("XRANGE").arg(self.key("dead")).arg("-").arg("+"))
            .map_err(failed("XRANGE"))?;
        Ok(range
            .ids
            .iter()
            .map(|entry| {
                (
                    entry.get("job").unwrap_or_default(),
                    entry.get("reason").unwrap_or_default(),
                )
            })
            .collect())
    }

    fn reply(&self, to: &str, reply: &Reply) -> TransportResult<()> {
        let text = serde_json::to_string(reply)
            .map_err(|e| TransportError(format!("cannot encode reply: {e}")))?;
        let mut pipe = redis::pipe();
        pipe.cmd("XADD")
            .arg(to)
            .arg("*")
            .arg("reply")
            .arg(text)
            .ignore();
        pipe.cmd("EXPIRE")
            .arg(to)
            .arg(IDLE_KEY_TTL_SECONDS)
            .ignore();
        self.run_pipe(&pipe).map_err(failed("XADD reply"))
    }

    fn replies(&self, to: &str, wait: Duration) -> TransportResult<Vec<Reply>> {
        // Read from the start and delete what was read: each reply is seen once, and none
        // sent between two calls is missed.
        let read: Option<StreamReadReply> = self
            .on(&self.replying, RESPONSE_TIMEOUT + wait, |c| {
                redis::cmd("XREAD")
                    .arg("COUNT")
                    .arg(100)
                    .arg("BLOCK")
                    .arg(millis(wait))
                    .arg("STREAMS")
                    .arg(to)
                    .arg("0-0")
                    .query(c)
            })
            .map_err(failed("XREAD replies"))?;
        let entries: Vec<StreamId> = read
            .into_iter()
            .flat_map(|r| r.keys)
            .flat_map(|k| k.ids)
            .collect();
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let mut delete = redis::cmd("XDEL");
        delete.arg(to);
        for entry in &entries {
            delete.arg(&entry.id);
        }
        self.run::<()>(&delete).map_err(failed("XDEL replies"))?;
        Ok(entries
            .iter()
            .filter_map(|entry| entry.get::<String>("reply"))
            .filter_map(|text| serde_json::from_str(&text).ok())
            .collect())
    }

    fn drop_replies(&self, to: &str) -> TransportResult<()> {
        self.run(redis::cmd("DEL").arg(to))
            .map_err(failed("DEL replies"))
    }

    fn heartbeat(&self, load: &WorkerLoad) -> TransportResult<()> {
        let now = self.server_time_ms()?;
        let text = serde_json::to_string(load)
            .map_err(|e| TransportError(format!("cannot encode load: {e}")))?;
        let (workers, loads, jobs) = (self.key("workers"), self.key("load"), self.key("jobs"));
        let mut pipe = redis::pipe();
        pipe.cmd("ZADD")
            .arg(&workers)
            .arg(now)
            .arg(&load.name)
            .ignore();
        pipe.cmd("HSET")
            .arg(&loads)
            .arg(&load.name)
            .arg(text)
            .ignore();
        for key in [&workers, &loads, &jobs] {
            pipe.cmd("EXPIRE")
                .arg(key)
                .arg(IDLE_KEY_TTL_SECONDS)
                .ignore();
        }
        self.run_pipe(&pipe).map_err(failed("heartbeat"))
    }

    fn live_workers(&self, within: Duration) -> TransportResult<Vec<WorkerLoad>> {
        let since = self.server_time_ms()?.saturating_sub(millis(within));
        let names: Vec<String> = self
            .run(
                redis::cmd("ZRANGEBYSCORE")
                    .arg(self.key("workers"))
                    .arg(since)
                    .arg("+inf"),
            )
            .map_err(failed("ZRANGEBYSCORE"))?;
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let loads: Vec<Option<String>> = self
            .run(redis::cmd("HMGET").arg(self.key("load")).arg(&names))
            .map_err(failed("HMGET"))?;
        let mut live: Vec<WorkerLoad> = names
            .into_iter()
            .zip(loads)
            .map(|(name, load)| {
                load.and_then(|text| serde_json::from_str(&text).ok())
                    .unwrap_or(WorkerLoad {
                        name,
                        concurrency: 1,
                        busy: 0,
                    })
            })
            .collect();
        live.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(live)
    }
}
