//! Connecting a queue to its remote workers, off the JS thread: `createQueue` returns at
//! once and the queue works locally until (and unless) Redis answers.
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use napi_derive::napi;
use pixelpool_queue::{Pipeline, RemoteConfig, Scheduler};
use pixelpool_remote::RedisTransport;

#[napi(object)]
pub struct RemoteOptions {
    pub url: String,
    /// The queue's name on Redis (the public option `remote.name`).
    pub queue: String,
    pub overflow_at: u32,
    pub timeout_ms: u32,
    pub max_input_bytes: f64,
    pub max_in_flight_bytes: f64,
}

enum Link {
    Connecting,
    Connected,
    Unavailable(String),
}

/// Where the connection attempt stands, for `remoteReady`.
pub struct RemoteLink {
    link: Mutex<Link>,
    settled: Condvar,
}

impl RemoteLink {
    /// Connects on a thread of its own and, once connected, has `scheduler` forward to
    /// Redis, completing remote jobs through `pipeline`. A queue dropped meanwhile is left
    /// alone.
    pub fn connect(
        options: RemoteOptions,
        scheduler: Weak<Scheduler>,
        pipeline: Arc<Pipeline>,
    ) -> Arc<Self> {
        let link = Arc::new(Self {
            link: Mutex::new(Link::Connecting),
            settled: Condvar::new(),
        });
        let reporting = Arc::clone(&link);
        std::thread::spawn(move || {
            let outcome = match RedisTransport::connect(&options.url, &options.queue) {
                Ok(transport) => {
                    let config = RemoteConfig {
                        overflow_at: options.overflow_at as usize,
                        timeout: Duration::from_millis(options.timeout_ms.into()),
                        max_input_bytes: options.max_input_bytes as u64,
                        max_in_flight_bytes: options.max_in_flight_bytes as u64,
                        blob_ttl: Duration::from_secs(3600),
                        reply_to: transport.new_reply_stream(),
                    };
                    if let Some(scheduler) = scheduler.upgrade() {
                        scheduler.forward_to(Arc::new(transport), config, pipeline);
                    }
                    Link::Connected
                }
                Err(error) => Link::Unavailable(error.0),
            };
            *reporting.link.lock().unwrap_or_else(|p| p.into_inner()) = outcome;
            reporting.settled.notify_all();
        });
        link
    }

    /// Blocks until the attempt is over: `None` when connected, else why not.
    pub fn wait(&self) -> Option<String> {
        let mut link = self.link.lock().unwrap_or_else(|p| p.into_inner());
        while matches!(*link, Link::Connecting) {
            link = self.settled.wait(link).unwrap_or_else(|p| p.into_inner());
        }
        match &*link {
            Link::Unavailable(reason) => Some(reason.clone()),
            _ => None,
        }
    }
}
