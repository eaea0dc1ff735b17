//! `Transport` on Redis Streams (docs/design.md §4). Keys live under `pixelpool:<queue>:`:
//! `jobs` (stream, consumer group `workers`), `dead` (stream of dead letters),
//! `blob:<blake3>` (bytes with a TTL), `workers` (sorted set of heartbeats, scored by the
//! server's clock so workers on other machines compare fairly) and `load` (hash of what
//! each worker last reported). Replies go to the stream the producer names in each job.
//! Every key has a TTL, refreshed while it is used, so nothing outlives its users.
//!
//! Blocking reads get connections of their own: a blocked connection can carry nothing
//! else, and the sync client sets no response timeout that would cut a `BLOCK` short.
//! A connection that fails is replaced on its next use, so a restarted Redis is picked up
//! again; the consumer group, lost with a restart, is created again when missing.

use std::sync::Mutex;
use std::time::Duration;

use pixelpool_queue::transport::{
    blob_key, Delivery, RemoteJob, Reply, Transport, TransportError, TransportResult, WorkerLoad,
};
use redis::streams::{
    StreamAutoClaimReply, StreamId, StreamPendingCountReply, StreamRangeReply, StreamReadReply,
};
use redis::{Client, Cmd, Connection, FromRedisValue, Pipeline, RedisError, RedisResult};

const GROUP: &str = "workers";
/// How long a key outlives its last use: a reply stream whose producer vanished, a job
/// stream nobody pushes to or serves, heartbeats of workers long gone.
const IDLE_KEY_TTL_SECONDS: u64 = 24 * 3600;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// For commands that do not block; a blocking read adds its own wait to this.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);

/// Deletes entry ARGV[1] of stream KEYS[1] if it exists and group ARGV[2] has not
/// delivered it (it is in no consumer's pending list).
const TAKE_BACK_SCRIPT: &str = r"
if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return 0 end
if #redis.call('XPENDING', KEYS[1], ARGV[2], ARGV[1], ARGV[1], 1) > 0 then return 0 end
return redis.call('XDEL', KEYS[1], ARGV[1])
";

/// One connection, opened on first use and replaced after a failure.
struct Slot(Mutex<Option<Connection>>);

pub struct RedisTransport {
    client: Client,
    prefix: String,
    commands: Slot,
    reserving: Slot,
    replying: Slot,
}

impl RedisTransport {
    /// Connects (auth and TLS come from the URL) and makes sure the consumer group exists.
    /// Connects to the Redis at `url` for the queue named `queue` (its `remote.name`).
    pub fn connect(url: &str, queue: &str) -> TransportResult<Self> {
        let client = Client::open(url).map_err(failed("invalid Redis URL"))?;
        let transport = Self {
            client,
            prefix: format!("pixelpool:{queue}:"),
            commands: Slot(Mutex::new(None)),
            reserving: Slot(Mutex::new(None)),
            replying: Slot(Mutex::new(None)),
        };
        transport
            .create_group()
            .map_err(failed("cannot connect to Redis"))?;
        Ok(transport)
    }

    /// A reply stream key no other producer uses: host, process and a random part.
    pub fn new_reply_stream(&self) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let random = blake3::hash(&nanos.to_le_bytes()).to_hex();
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "producer".into());
        let pid = std::process::id();
        format!("{}replies:{host}-{pid}-{}", self.prefix, &random[..12])
    }

    fn create_group(&self) -> RedisResult<()> {
        let created: RedisResult<()> = self.run(
            redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(self.key("jobs"))
                .arg(GROUP)
                .arg("0")
                .arg("MKSTREAM"),
        );
        match created {
            Err(error) if error.code() != Some("BUSYGROUP") => Err(error),
            _ => self.run(
                redis::cmd("EXPIRE")
                    .arg(self.key("jobs"))
                    .arg(IDLE_KEY_TTL_SECONDS),
            ),
        }
    }

    /// Runs a group command, creating the group first if Redis lost it (a restart).
    fn with_group<T>(&self, command: impl Fn() -> RedisResult<T>) -> RedisResult<T> {
        match command() {
            Err(error) if error.code() == Some("NOGROUP") => {
                self.create_group()?;
                command()
            }
            other => other,
        }
    }

    fn run<T: FromRedisValue>(&self, command: &Cmd) -> RedisResult<T> {
        self.on(&self.commands, RESPONSE_TIMEOUT, |c| command.query(c))
    }

    fn run_pipe(&self, pipe: &Pipeline) -> RedisResult<()> {
        self.on(&self.commands, RESPONSE_TIMEOUT, |c| pipe.query(c))
    }

    /// Runs `work` on the slot's connection, opening one if needed; a connection that
    /// failed below the protocol (I/O, timeout) is dropped and reopened next time.
    fn on<T>(
        &self,
        slot: &Slot,
        timeout: Duration,
        work: impl FnOnce(&mut Connection) -> RedisResult<T>,
    ) -> RedisResult<T> {
        let mut held = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        let connection = match &mut *held {
            Some(connection) => connection,
            empty => empty.insert(self.client.get_connection_with_timeout(CONNECT_TIMEOUT)?),
        };
        connection.set_read_timeout(Some(timeout))?;
        connection.set_write_timeout(Some(RESPONSE_TIMEOUT))?;
        let result = work(connection);
        if let Err(error) = &result {
            if error.code().is_none() {
                *held = None;
            }
        }
        result
    }

    fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// Milliseconds on the Redis server's clock.
    fn server_time_ms(&self) -> TransportResult<u64> {
        let (seconds, micros): (u64, u64) =
            self.run(&redis::cmd("TIME")).map_err(failed("TIME"))?;
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
        let mut pipe = redis::pipe();
        pipe.cmd("XACK").arg(&jobs).arg(GROUP).arg(tag).ignore();
        pipe.cmd("XDEL").arg(&jobs).arg(tag).ignore();
        self.run_pipe(&pipe).map_err(failed("XACK"))
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
