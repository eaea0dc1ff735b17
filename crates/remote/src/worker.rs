//! The worker side of remote overflow: take a job, fetch its input blob, run the engine,
//! store the outputs as blobs, reply, and only then acknowledge (at-least-once). Jobs that
//! cannot be read, or that were delivered too often, are dead-lettered and the producer is
//! told to run them itself.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pixelpool_engine::process;
use pixelpool_queue::transport::{
    Delivery, RemoteJob, RemoteOutput, Reply, ReplyBody, Transport, TransportError,
    TransportResult, WorkerLoad, PROTOCOL_VERSION,
};

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Names this worker in heartbeats, replies and the consumer group.
    pub name: String,
    /// A job delivered more often than this is dead-lettered.
    pub max_deliveries: u32,
    /// Deliveries held this long without an ack are taken over from their worker.
    pub visibility_timeout: Duration,
    /// How long output blobs are kept for the producer to fetch.
    pub blob_ttl: Duration,
}

impl WorkerOptions {
    /// The defaults every `pixelpool worker` runs with.
    pub fn named(name: String) -> Self {
        Self {
            name,
            max_deliveries: 3,
            visibility_timeout: Duration::from_secs(30),
            blob_ttl: Duration::from_secs(3600),
        }
    }
}

/// What happened to one delivery, for the worker's log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    Done { job: String, ms: u128 },
    Failed { job: String, code: String },
    DeadLettered { job: String, reason: String },
}

pub fn handle(
    transport: &dyn Transport,
    delivery: &Delivery,
    options: &WorkerOptions,
) -> TransportResult<Handled> {
    let job = match &delivery.job {
        Ok(job) if job.version == PROTOCOL_VERSION => job,
        Ok(job) => {
            return dead_letter(
                transport,
                delivery,
                Some(job),
                format!("unknown protocol version {}", job.version),
            )
        }
        Err(reason) => return dead_letter(transport, delivery, None, reason.clone()),
    };
    if delivery.attempts > options.max_deliveries {
        let reason = format!(
            "delivered {} times (limit {})",
            delivery.attempts, options.max_deliveries
        );
        return dead_letter(transport, delivery, Some(job), reason);
    }
    let Some(input) = transport.get_blob(&job.input)? else {
        return dead_letter(
            transport,
            delivery,
            Some(job),
            "input blob expired or missing".into(),
        );
    };
    let started = Instant::now();
    let (body, handled) = match process(&input, &job.outputs, &job.limits) {
        Ok(processed) => {
            let outputs = processed
                .outputs
                .iter()
                .map(|encoded| {
                    Ok(RemoteOutput {
                        format: encoded.format,
                        width: encoded.width,
                        height: encoded.height,
                        blob: transport.put_blob(&encoded.bytes, options.blob_ttl)?,
                        placement: encoded.placement,
                    })
                })
                .collect::<TransportResult<Vec<_>>>()?;
            let handled = Handled::Done {
                job: job.id.to_string(),
                ms: started.elapsed().as_millis(),
            };
            (
                ReplyBody::Done {
                    input: processed.input,
                    outputs,
                    worker: options.name.clone(),
                },
                handled,
            )
        }
        Err(error) => {
            let code = pixelpool_queue::ErrorCode::from(error.kind)
                .as_str()
                .to_string();
            let handled = Handled::Failed {
                job: job.id.to_string(),
                code: code.clone(),
            };
            (
                ReplyBody::Failed {
                    code,
                    message: error.message,
                    output_index: error.output_index,
                    worker: options.name.clone(),
                },
                handled,
            )
        }
    };
    answer(transport, job, body)?;
    transport.ack(delivery)?;
    Ok(handled)
}

/// Sends the producer of `job` its reply.
fn answer(transport: &dyn Transport, job: &RemoteJob, body: ReplyBody) -> TransportResult<()> {
    let reply = Reply {
        job_id: job.id,
        body,
    };
    transport.reply(&job.reply_to, &reply)
}

fn dead_letter(
    transport: &dyn Transport,
    delivery: &Delivery,
    job: Option<&RemoteJob>,
    reason: String,
) -> TransportResult<Handled> {
    if let Some(job) = job {
        let body = ReplyBody::DeadLettered {
            reason: reason.clone(),
        };
        answer(transport, job, body)?;
    }
    transport.fail(delivery, &reason)?;
    let job = job.map_or_else(|| delivery.tag.clone(), |j| j.id.to_string());
    Ok(Handled::DeadLettered { job, reason })
}

/// How often a worker says it is alive; producers treat a worker as gone after a few
/// missed beats (`pixelpool_queue::HEARTBEAT_FRESH`).
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);

pub type Log = Arc<dyn Fn(TransportResult<Handled>) + Send + Sync>;

/// A running worker: `concurrency` serving threads, each with its own transport (blocking
/// reads cannot share a connection), and one heartbeat thread reporting the load.
pub struct Worker {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Worker {
    pub fn start(
        connect: impl Fn() -> TransportResult<Arc<dyn Transport>>,
        options: WorkerOptions,
        concurrency: u32,
        log: Log,
    ) -> TransportResult<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let busy = Arc::new(AtomicU32::new(0));
        let transports = (0..=concurrency)
            .map(|_| connect())
            .collect::<TransportResult<Vec<_>>>()?;
        let mut transports = transports.into_iter();
        let beating = transports.next().expect("one transport per thread");
        let mut threads = vec![{
            let (stop, busy, log) = (Arc::clone(&stop), Arc::clone(&busy), Arc::clone(&log));
            let name = options.name.clone();
            std::thread::spawn(move || beat(&*beating, &name, concurrency, &busy, &stop, &*log))
        }];
        for transport in transports {
            let (stop, busy, log) = (Arc::clone(&stop), Arc::clone(&busy), Arc::clone(&log));
            let options = options.clone();
            threads.push(std::thread::spawn(move || {
                serve(&*transport, &options, &busy, &stop, &*log)
            }));
        }
        Ok(Self { stop, threads })
    }

    /// Stops taking jobs; those in hand still finish. `join` waits for them.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
    }

    pub fn stopper(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    pub fn join(self) {
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

fn beat(
    transport: &dyn Transport,
    name: &str,
    concurrency: u32,
    busy: &AtomicU32,
    stop: &AtomicBool,
    log: &(dyn Fn(TransportResult<Handled>) + Send + Sync),
) {
    let tick = Duration::from_millis(100);
    let mut last: Option<Instant> = None;
    while !stop.load(Ordering::Acquire) {
        if last.is_none_or(|at| at.elapsed() >= HEARTBEAT_EVERY) {
            let load = WorkerLoad {
                name: name.to_string(),
                concurrency,
                busy: busy.load(Ordering::Relaxed),
            };
            if let Err(error) = transport.heartbeat(&load) {
                log(Err(error));
            }
            last = Some(Instant::now());
        }
        std::thread::sleep(tick);
    }
}

/// Serves jobs on this thread until `stop` is set: takes over stalled deliveries, then
/// handles new ones. Finishes the job in hand before returning.
fn serve(
    transport: &dyn Transport,
    options: &WorkerOptions,
    busy: &AtomicU32,
    stop: &AtomicBool,
    log: &(dyn Fn(TransportResult<Handled>) + Send + Sync),
) {
    let poll = Duration::from_millis(500);
    while !stop.load(Ordering::Acquire) {
        let mut deliveries = transport
            .reclaim(&options.name, options.visibility_timeout)
            .unwrap_or_default();
        if deliveries.is_empty() {
            match transport.reserve(&options.name, poll) {
                Ok(Some(delivery)) => deliveries.push(delivery),
                Ok(None) => {}
                Err(error) => {
                    log(Err(error));
                    std::thread::sleep(poll);
                }
            }
        }
        for delivery in deliveries {
            busy.fetch_add(1, Ordering::Relaxed);
            log(handle(transport, &delivery, options));
            busy.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// A log line for one handled delivery or transport error.
pub fn describe(handled: &Result<Handled, TransportError>) -> String {
    match handled {
        Ok(Handled::Done { job, ms }) => format!("done {job} in {ms} ms"),
        Ok(Handled::Failed { job, code }) => format!("failed {job} [{code}]"),
        Ok(Handled::DeadLettered { job, reason }) => format!("dead-lettered {job}: {reason}"),
        Err(error) => format!("error: {error}"),
    }
}
