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

mod operations;

use std::sync::Mutex;
use std::time::Duration;

use pixelpool_queue::transport::{Delivery, RemoteJob, TransportError, TransportResult};
use redis::streams::StreamId;
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
