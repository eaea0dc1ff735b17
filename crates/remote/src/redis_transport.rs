//! `Transport` on Redis Streams (DESIGN §4). Keys live under `pixelpool:<name>:`:
//! `jobs` (stream, consumer group `workers`), `dead` (stream of dead letters),
//! `blob:<blake3>` (bytes with a TTL), `workers` (sorted set of heartbeats, scored by the
//! server's clock so workers on other machines compare fairly). Replies go to the stream
//! the producer names in each job.
//!
//! Blocking reads get connections of their own: a blocked connection can carry nothing
//! else, and the sync client sets no response timeout that would cut a `BLOCK` short.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use pixelpool_queue::transport::{
    blob_key, Delivery, RemoteJob, Reply, Transport, TransportError, TransportResult,
};
use redis::streams::{
    StreamAutoClaimReply, StreamId, StreamPendingCountReply, StreamRangeReply, StreamReadReply,
};
use redis::{Client, Connection, RedisError};

const GROUP: &str = "workers";
/// Reply streams outlive a producer that vanished without cleaning up by this much.
const REPLY_STREAM_TTL_SECONDS: u64 = 24 * 3600;

pub struct RedisTransport {
    prefix: String,
    commands: Mutex<Connection>,
    reserving: Mutex<Connection>,
    replying: Mutex<Connection>,
}

impl RedisTransport {
    /// Connects (auth and TLS come from the URL) and makes sure the consumer group exists.
    pub fn connect(url: &str, name: &str) -> TransportResult<Self> {
        let client = Client::open(url).map_err(failed("invalid Redis URL"))?;
        let connect = || {
            client
                .get_connection()
                .map_err(failed("cannot connect to Redis"))
        };
        let transport = Self {
            prefix: format!("pixelpool:{name}:"),
            commands: Mutex::new(connect()?),
            reserving: Mutex::new(connect()?),
            replying: Mutex::new(connect()?),
        };
        let created: Result<(), RedisError> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(transport.key("jobs"))
            .arg(GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .query(&mut *transport.commands());
        match created {
            Err(error) if error.code() != Some("BUSYGROUP") => {
                Err(failed("cannot create the consumer group")(error))
            }
            _ => Ok(transport),
        }
    }

    fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    fn commands(&self) -> MutexGuard<'_, Connection> {
        self.commands
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Milliseconds on the Redis server's clock.
    fn server_time_ms(&self) -> TransportResult<u64> {
        let (seconds, micros): (u64, u64) = redis::cmd("TIME")
            .query(&mut *self.commands())
            .map_err(failed("TIME"))?;
        Ok(seconds * 1000 + micros / 1000)
    }

    fn delivery(entry: &StreamId, attempts: u32) -> Delivery {
        let raw: Option<String> = entry.get("job");
        let job = match raw {
            Some(text) => serde_json::from_str::<RemoteJob>(&text)
                .map_err(|e| format!("unreadable job ({e}): {text}")),
            None => Err(format!("entry {} has no job field", entry.id)),
        };
        Delivery {
            job,
            tag: entry.id.clone(),
            attempts,
        }
    }

    fn remove(&self, tag: &str) -> TransportResult<()> {
        let jobs = self.key("jobs");
        redis::pipe()
            .cmd("XACK")
            .arg(&jobs)
            .arg(GROUP)
            .arg(tag)
            .ignore()
            .cmd("XDEL")
            .arg(&jobs)
            .arg(tag)
            .ignore()
            .query::<()>(&mut *self.commands())
            .map_err(failed("XACK"))
    }
}

fn failed(what: &'static str) -> impl Fn(RedisError) -> TransportError {
    move |error| TransportError(format!("{what}: {error}"))
}

fn millis(duration: Duration) -> u64 {
    duration.as_millis().max(1) as u64
}

impl Transport for RedisTransport {
    fn put_blob(&self, bytes: &[u8], ttl: Duration) -> TransportResult<String> {
        let key = blob_key(bytes);
        redis::cmd("SET")
            .arg(self.key(&format!("blob:{key}")))
            .arg(bytes)
            .arg("PX")
            .arg(millis(ttl))
            .query::<()>(&mut *self.commands())
            .map_err(failed("SET blob"))?;
        Ok(key)
    }

    fn get_blob(&self, key: &str) -> TransportResult<Option<Vec<u8>>> {
        redis::cmd("GET")
            .arg(self.key(&format!("blob:{key}")))
            .query(&mut *self.commands())
            .map_err(failed("GET blob"))
    }

    fn push(&self, job: &RemoteJob) -> TransportResult<()> {
        let text = serde_json::to_string(job)
            .map_err(|e| TransportError(format!("cannot encode job: {e}")))?;
        redis::cmd("XADD")
            .arg(self.key("jobs"))
            .arg("*")
            .arg("job")
            .arg(text)
            .query::<String>(&mut *self.commands())
            .map_err(failed("XADD job"))?;
        Ok(())
    }

    fn reserve(&self, worker: &str, wait: Duration) -> TransportResult<Option<Delivery>> {
        let mut connection = self.reserving.lock().unwrap_or_else(|p| p.into_inner());
        let reply: Option<StreamReadReply> = redis::cmd("XREADGROUP")
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
            .query(&mut *connection)
            .map_err(failed("XREADGROUP"))?;
        let entry = reply
            .and_then(|r| r.keys.into_iter().next())
            .and_then(|k| k.ids.into_iter().next());
        Ok(entry.map(|entry| Self::delivery(&entry, 1)))
    }

    fn reclaim(&self, worker: &str, idle: Duration) -> TransportResult<Vec<Delivery>> {
        let jobs = self.key("jobs");
        let claimed: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(&jobs)
            .arg(GROUP)
            .arg(worker)
            .arg(millis(idle))
            .arg("0-0")
            .arg("COUNT")
            .arg(100)
            .query(&mut *self.commands())
            .map_err(failed("XAUTOCLAIM"))?;
        claimed
            .claimed
            .iter()
            .map(|entry| {
                let pending: StreamPendingCountReply = redis::cmd("XPENDING")
                    .arg(&jobs)
                    .arg(GROUP)
                    .arg(&entry.id)
                    .arg(&entry.id)
                    .arg(1)
                    .query(&mut *self.commands())
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
            Ok(job) => job.id.clone(),
            Err(raw) => raw.clone(),
        };
        redis::cmd("XADD")
            .arg(self.key("dead"))
            .arg("*")
            .arg("job")
            .arg(what)
            .arg("reason")
            .arg(reason)
            .query::<String>(&mut *self.commands())
            .map_err(failed("XADD dead letter"))?;
        self.remove(&delivery.tag)
    }

    fn dead_letters(&self) -> TransportResult<Vec<(String, String)>> {
        let range: StreamRangeReply = redis::cmd("XRANGE")
            .arg(self.key("dead"))
            .arg("-")
            .arg("+")
            .query(&mut *self.commands())
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
        redis::pipe()
            .cmd("XADD")
            .arg(to)
            .arg("*")
            .arg("reply")
            .arg(text)
            .ignore()
            .cmd("EXPIRE")
            .arg(to)
            .arg(REPLY_STREAM_TTL_SECONDS)
            .ignore()
            .query::<()>(&mut *self.commands())
            .map_err(failed("XADD reply"))
    }

    fn replies(&self, to: &str, wait: Duration) -> TransportResult<Vec<Reply>> {
        let mut connection = self.replying.lock().unwrap_or_else(|p| p.into_inner());
        // Read from the start and delete what was read: each reply is seen once, and none
        // sent between two calls is missed.
        let read: Option<StreamReadReply> = redis::cmd("XREAD")
            .arg("COUNT")
            .arg(100)
            .arg("BLOCK")
            .arg(millis(wait))
            .arg("STREAMS")
            .arg(to)
            .arg("0-0")
            .query(&mut *connection)
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
        delete
            .query::<()>(&mut *connection)
            .map_err(failed("XDEL replies"))?;
        Ok(entries
            .iter()
            .filter_map(|entry| entry.get::<String>("reply"))
            .filter_map(|text| serde_json::from_str(&text).ok())
            .collect())
    }

    fn heartbeat(&self, worker: &str) -> TransportResult<()> {
        let now = self.server_time_ms()?;
        redis::cmd("ZADD")
            .arg(self.key("workers"))
            .arg(now)
            .arg(worker)
            .query::<()>(&mut *self.commands())
            .map_err(failed("ZADD"))
    }

    fn live_workers(&self, within: Duration) -> TransportResult<Vec<String>> {
        let since = self.server_time_ms()?.saturating_sub(millis(within));
        let mut live: Vec<String> = redis::cmd("ZRANGEBYSCORE")
            .arg(self.key("workers"))
            .arg(since)
            .arg("+inf")
            .query(&mut *self.commands())
            .map_err(failed("ZRANGEBYSCORE"))?;
        live.sort();
        Ok(live)
    }
}
