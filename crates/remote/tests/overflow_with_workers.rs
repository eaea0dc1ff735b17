//! Remote overflow end to end: a Scheduler forwarding its backlog to real workers, in
//! memory and on Redis. (The failure cases, with hand-driven workers, are
//! crates/queue/tests/overflow.rs.)
mod common;
#[path = "../../queue/tests/producer/mod.rs"]
mod producer;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::RedisServer;
use pixelpool_queue::transport::{MemoryTransport, Transport};
use pixelpool_queue::*;
use pixelpool_remote::{Log, RedisTransport, Worker, WorkerOptions};
use producer::{collector, dimensions, job, photo, remote_config, scheduler, wait_until};

fn redis_transport(server: &RedisServer) -> Arc<dyn Transport> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("producer-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    Arc::new(RedisTransport::connect(&server.url(), &name).unwrap())
}

fn worker(transport: &Arc<dyn Transport>, name: &str) -> Worker {
    let options = WorkerOptions {
        name: name.into(),
        max_deliveries: 3,
        visibility_timeout: Duration::from_secs(30),
        blob_ttl: Duration::from_secs(60),
    };
    let log: Log = Arc::new(|_| {});
    let transport = Arc::clone(transport);
    Worker::start(move || Ok(Arc::clone(&transport)), options, 1, log).unwrap()
}

#[test]
fn the_backlog_goes_to_live_workers_and_results_come_back() {
    let server = RedisServer::start();
    let transports = [
        (
            "memory",
            Arc::new(MemoryTransport::new()) as Arc<dyn Transport>,
        ),
        ("redis", redis_transport(&server)),
    ];
    for (kind, transport) in transports {
        let worker = worker(&transport, "remote-1");
        wait_until("the worker's heartbeat", || {
            !transport.live_workers(HEARTBEAT_FRESH).unwrap().is_empty()
        });
        let pipeline = Arc::new(Pipeline::default());
        let local = Arc::clone(&pipeline);
        let runner: Runner = Arc::new(move |job: &Job, c: &AtomicBool| local.run(job, c));
        let scheduler = scheduler(runner);
        let config = remote_config(&format!("replies-{kind}"), Duration::from_secs(30));
        scheduler.forward_to(Arc::clone(&transport), config, pipeline);
        let (settled, done) = collector();
        let input = photo();
        for id in 0..16 {
            scheduler.submit(job(id, &input), done(id)).unwrap();
        }
        wait_until("every job settles", || settled.lock().unwrap().len() == 16);
        let settled = settled.lock().unwrap();
        let mut ids: Vec<u64> = settled.iter().map(|(id, _)| *id).collect();
        ids.sort();
        assert_eq!(ids, (0..16).collect::<Vec<_>>(), "{kind}: each job once");
        let remote: Vec<&JobResult> = settled
            .iter()
            .map(|(_, outcome)| outcome.as_ref().expect("no failure"))
            .filter(|result| result.ran_on == RanOn::Remote)
            .collect();
        assert!(!remote.is_empty(), "{kind}: some jobs ran remotely");
        assert!(remote.len() < 16, "{kind}: some jobs ran here");
        for (_, outcome) in settled.iter() {
            let result = outcome.as_ref().unwrap();
            assert_eq!(dimensions(result), (200, 133), "{kind}");
            assert_eq!(result.input.width, 768, "{kind}");
            let expected_worker = (result.ran_on == RanOn::Remote).then(|| "remote-1".to_string());
            assert_eq!(result.worker, expected_worker, "{kind}");
        }
        let stats = scheduler.stats();
        // Jobs no worker had started may have been taken back at the end.
        assert!(stats.forwarded >= remote.len() as u64, "{kind}");
        assert_eq!((stats.completed, stats.remote), (16, 0), "{kind}");
        worker.stop();
        worker.join();
    }
}
