//! What the producer-side overflow tests share: a corpus photo, a job resizing it, a
//! remote config, a collector of settled jobs, a bounded wait, schedulers whose local
//! thread is held, and a hand-driven worker's side of the transport. Also included by
//! crates/remote/tests/overflow_with_workers.rs (by path: test crates cannot depend on
//! each other's test code).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pixelpool_engine::{decode, DecodeLimits, Encoding, InputInfo, OutputSpec};
use pixelpool_queue::transport::{
    Delivery, MemoryTransport, RemoteOutput, Reply, ReplyBody, Transport, WorkerLoad,
};
use pixelpool_queue::{
    Completion, Input, Job, JobResult, Outcome, OutputTarget, Pipeline, RemoteConfig, Runner,
    Scheduler, SchedulerConfig,
};

pub fn photo() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/photos/kodak-kodim23.png");
    std::fs::read(path).expect("corpus photo")
}

pub fn job(id: u64, input: &[u8]) -> Job {
    let spec = OutputSpec {
        width: Some(200),
        ..OutputSpec::new(Encoding::Jpeg {
            quality: 80,
            progressive: false,
            chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
            optimise_coding: true,
        })
    };
    Job {
        id,
        input: Input::Bytes(input.to_vec().into()),
        outputs: vec![OutputTarget { path: None, spec }],
        priority: 0,
        limits: DecodeLimits::default(),
    }
}

pub fn remote_config(reply_to: &str, timeout: Duration) -> RemoteConfig {
    RemoteConfig {
        overflow_at: 0,
        timeout,
        max_input_bytes: 64 << 20,
        max_in_flight_bytes: 1 << 30,
        blob_ttl: Duration::from_secs(60),
        reply_to: reply_to.into(),
    }
}

pub type Settled = Arc<Mutex<Vec<(u64, Outcome)>>>;

pub fn collector() -> (Settled, impl Fn(u64) -> Completion) {
    let settled: Settled = Arc::default();
    let sink = Arc::clone(&settled);
    let make = move |id: u64| -> Completion {
        let sink = Arc::clone(&sink);
        Box::new(move |outcome| sink.lock().unwrap().push((id, outcome)))
    };
    (settled, make)
}

pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..1500 {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting until {what}");
}

/// A local runner that holds each job until released, so tests decide the backlog.
pub fn gated() -> (Runner, Sender<()>) {
    let (release, gate): (Sender<()>, Receiver<()>) = channel();
    let gate = Mutex::new(gate);
    let local = Pipeline::default();
    let runner: Runner = Arc::new(move |job: &Job, cancelled: &AtomicBool| {
        gate.lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(20))
            .expect("released");
        local.run(job, cancelled)
    });
    (runner, release)
}

pub fn scheduler(runner: Runner) -> Scheduler {
    let config = SchedulerConfig {
        concurrency: 1,
        max_queue: 1000,
    };
    Scheduler::new(config, runner).unwrap()
}

/// A scheduler whose only thread is held by job 0, forwarding to `transport` from then on:
/// every later job waits here until forwarded or released.
pub fn held_scheduler(
    transport: &Arc<dyn Transport>,
    config: RemoteConfig,
    done: Completion,
) -> (Scheduler, Sender<()>) {
    let (runner, release) = gated();
    let scheduler = scheduler(runner);
    scheduler.submit(job(0, &photo()), done).unwrap();
    wait_until("job 0 runs", || scheduler.stats().running == 1);
    scheduler.forward_to(Arc::clone(transport), config, Arc::default());
    (scheduler, release)
}

pub fn live_worker(transport: &dyn Transport) {
    let load = WorkerLoad {
        name: "hand".into(),
        concurrency: 1,
        busy: 0,
    };
    transport.heartbeat(&load).unwrap();
}

pub fn dimensions(result: &JobResult) -> (u32, u32) {
    let header = decode::read_header(result.outputs[0].data.as_ref().unwrap()).unwrap();
    (header.width, header.height)
}

/// Waits for the one job the producer forwards, returning its id and delivery.
pub fn forwarded_job(transport: &dyn Transport) -> Delivery {
    transport
        .reserve("hand", Duration::from_secs(5))
        .unwrap()
        .expect("a forwarded job")
}

pub fn done_reply(transport: &dyn Transport, id: u64) -> Reply {
    let bytes = pixelpool_engine::process(
        &photo(),
        &[job(0, b"").outputs[0].spec.clone()],
        &DecodeLimits::default(),
    )
    .unwrap()
    .outputs
    .remove(0);
    let blob = transport
        .put_blob(&bytes.bytes, Duration::from_secs(60))
        .unwrap();
    Reply {
        job_id: id,
        body: ReplyBody::Done {
            input: InputInfo {
                format: pixelpool_engine::Format::Png,
                width: 768,
                height: 512,
                orientation: 1,
                has_alpha: false,
                pages: 1,
                warnings: Vec::new(),
            },
            outputs: vec![RemoteOutput {
                format: bytes.format,
                width: bytes.width,
                height: bytes.height,
                blob,
                placement: Default::default(),
            }],
            worker: "hand".into(),
        },
    }
}

pub fn output_blob(reply: &Reply) -> String {
    match &reply.body {
        ReplyBody::Done { outputs, .. } => outputs[0].blob.clone(),
        other => panic!("{other:?}"),
    }
}

/// A producer whose one local thread job 0 holds, forwarding to a transport in memory with
/// a live hand worker; jobs 1 to `photos` (the corpus photo) wait to be forwarded or
/// released. Replies go to "replies".
pub struct Rig {
    pub transport: Arc<dyn Transport>,
    pub settled: Settled,
    pub done: Box<dyn Fn(u64) -> Completion>,
    pub scheduler: Scheduler,
    pub release: Sender<()>,
}

pub fn rig(config: RemoteConfig, photos: u64) -> Rig {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    let input = photo();
    for id in 1..=photos {
        scheduler.submit(job(id, &input), done(id)).unwrap();
    }
    Rig {
        transport,
        settled,
        done: Box::new(done),
        scheduler,
        release,
    }
}
