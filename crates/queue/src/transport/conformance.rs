//! What every `Transport` must do, as functions that panic on the first deviation. Each
//! takes a fresh transport (nothing queued, no replies, no workers). The memory transport
//! runs them in this crate's tests; other transports call them from their own.

use std::sync::Arc;
use std::time::Duration;

use pixelpool_engine::{DecodeLimits, Encoding, InputInfo, OutputSpec};

use super::{RemoteJob, Reply, ReplyBody, Transport, WorkerLoad, PROTOCOL_VERSION};

const SHORT: Duration = Duration::from_millis(50);

// Job ids named by their part in a test.
const LATE: u64 = 10;
const LOST: u64 = 11;
const ACKED: u64 = 12;
const FAILED: u64 = 13;
const OTHER: u64 = 14;
const WAITING: u64 = 15;
const HELD: u64 = 16;
const WANTED: u64 = 17;
const DELIVERED: u64 = 18;
const LEFT: u64 = 19;

pub fn job(id: u64) -> RemoteJob {
    RemoteJob {
        version: PROTOCOL_VERSION,
        id,
        reply_to: "replies-a".to_string(),
        input: "0".repeat(64),
        outputs: vec![OutputSpec::new(Encoding::webp(80, false))],
        limits: DecodeLimits::default(),
    }
}

fn reserved_id(transport: &dyn Transport, worker: &str) -> Option<u64> {
    let delivery = transport.reserve(worker, SHORT).unwrap()?;
    Some(delivery.job.expect("a readable job").id)
}

/// Jobs come out once each, in the order they went in, and survive the trip unchanged.
pub fn delivers_each_job_once_in_order(transport: &dyn Transport) {
    transport.push(&job(1)).unwrap();
    transport.push(&job(2)).unwrap();
    let first = transport.reserve("w1", SHORT).unwrap().expect("a job");
    assert_eq!(first.job.as_ref().unwrap(), &job(1));
    assert_eq!(first.attempts, 1);
    assert_eq!(reserved_id(transport, "w2"), Some(2));
    assert_eq!(
        reserved_id(transport, "w1"),
        None,
        "nothing left to deliver"
    );
}

/// `reserve` waits for a job pushed while it waits.
pub fn reserve_waits_for_a_push(transport: Arc<dyn Transport>) {
    let pusher = Arc::clone(&transport);
    let thread = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        pusher.push(&job(LATE)).unwrap();
    });
    let delivery = transport.reserve("w1", Duration::from_secs(5)).unwrap();
    thread.join().unwrap();
    assert_eq!(delivery.expect("the pushed job").job.unwrap().id, LATE);
}

/// An unacknowledged delivery goes to another worker once idle long enough; an
/// acknowledged or failed one never does.
pub fn reclaims_only_unacknowledged_deliveries(transport: &dyn Transport) {
    for id in [LOST, ACKED, FAILED] {
        transport.push(&job(id)).unwrap();
    }
    let lost = transport.reserve("crashed", SHORT).unwrap().unwrap();
    let acked = transport.reserve("w1", SHORT).unwrap().unwrap();
    let failed = transport.reserve("w1", SHORT).unwrap().unwrap();
    transport.ack(&acked).unwrap();
    transport.fail(&failed, "bad message").unwrap();
    assert!(
        transport
            .reclaim("w2", Duration::from_secs(60))
            .unwrap()
            .is_empty(),
        "not idle long enough yet"
    );
    std::thread::sleep(Duration::from_millis(120));
    let taken = transport.reclaim("w2", Duration::from_millis(100)).unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].job.as_ref().unwrap().id, LOST);
    assert_eq!(taken[0].attempts, 2);
    assert_eq!(taken[0].tag, lost.tag);
    transport.ack(&taken[0]).unwrap();
    std::thread::sleep(Duration::from_millis(120));
    assert!(transport
        .reclaim("w3", Duration::from_millis(100))
        .unwrap()
        .is_empty());
    assert_eq!(
        transport.dead_letters().unwrap(),
        vec![(FAILED.to_string(), "bad message".to_string())]
    );
}

/// Blobs are addressed by content, expire, and can be deleted sooner.
pub fn stores_blobs_by_content_with_a_lifetime(transport: &dyn Transport) {
    let key = transport
        .put_blob(b"pixels", Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        transport
            .put_blob(b"pixels", Duration::from_secs(60))
            .unwrap(),
        key
    );
    assert_ne!(
        transport
            .put_blob(b"other", Duration::from_secs(60))
            .unwrap(),
        key
    );
    assert_eq!(
        transport.get_blob(&key).unwrap().as_deref(),
        Some(&b"pixels"[..])
    );
    assert_eq!(transport.get_blob(&"f".repeat(64)).unwrap(), None);
    let brief = transport
        .put_blob(b"brief", Duration::from_millis(50))
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(transport.get_blob(&brief).unwrap(), None, "expired");
    transport.delete_blob(&key).unwrap();
    assert_eq!(transport.get_blob(&key).unwrap(), None, "deleted");
    transport.delete_blob(&key).unwrap();
}

/// Replies reach only their own producer, in order, each once.
pub fn routes_replies_to_their_producer(transport: &dyn Transport) {
    let reply = |job_id: u64| Reply {
        job_id,
        body: ReplyBody::DeadLettered {
            reason: "test".into(),
        },
    };
    transport.reply("replies-a", &reply(1)).unwrap();
    transport.reply("replies-b", &reply(OTHER)).unwrap();
    transport.reply("replies-a", &reply(2)).unwrap();
    let a = transport.replies("replies-a", SHORT).unwrap();
    assert_eq!(a.iter().map(|r| r.job_id).collect::<Vec<_>>(), [1, 2]);
    assert!(
        transport.replies("replies-a", SHORT).unwrap().is_empty(),
        "each reply once"
    );
    let done = Reply {
        job_id: 3,
        body: ReplyBody::Done {
            input: InputInfo {
                format: pixelpool_engine::Format::Png,
                width: 1,
                height: 2,
                orientation: 1,
                has_alpha: true,
                pages: 1,
                warnings: vec!["SVG image 'x.png' not loaded".into()],
            },
            outputs: Vec::new(),
            worker: "w1".into(),
        },
    };
    transport.reply("replies-b", &done).unwrap();
    assert_eq!(
        transport.replies("replies-b", SHORT).unwrap(),
        vec![reply(OTHER), done]
    );
}

/// A withdrawn job is not delivered, whether it was waiting or held by a worker.
pub fn withdrawn_jobs_are_not_delivered(transport: &dyn Transport) {
    let waiting = transport.push(&job(WAITING)).unwrap();
    let held = transport.push(&job(HELD)).unwrap();
    transport.push(&job(WANTED)).unwrap();
    transport.withdraw(&waiting).unwrap();
    let delivery = transport.reserve("w1", SHORT).unwrap().unwrap();
    assert_eq!(delivery.job.unwrap().id, HELD);
    assert_eq!(delivery.tag, held);
    transport.withdraw(&held).unwrap();
    assert_eq!(reserved_id(transport, "w1"), Some(WANTED));
    std::thread::sleep(Duration::from_millis(120));
    let reclaimed: Vec<u64> = transport
        .reclaim("w2", Duration::from_millis(100))
        .unwrap()
        .into_iter()
        .map(|d| d.job.unwrap().id)
        .collect();
    assert_eq!(
        reclaimed,
        [WANTED],
        "the withdrawn held job is not reclaimed"
    );
}

/// Only a job no worker has received can be taken back.
pub fn takes_back_only_undelivered_jobs(transport: &dyn Transport) {
    let delivered = transport.push(&job(DELIVERED)).unwrap();
    let waiting = transport.push(&job(WAITING)).unwrap();
    transport.push(&job(LEFT)).unwrap();
    assert_eq!(reserved_id(transport, "w1"), Some(DELIVERED));
    assert!(!transport.take_back(&delivered).unwrap(), "a worker has it");
    assert!(transport.take_back(&waiting).unwrap());
    assert!(
        !transport.take_back(&waiting).unwrap(),
        "already taken back"
    );
    assert_eq!(reserved_id(transport, "w1"), Some(LEFT));
    assert_eq!(reserved_id(transport, "w1"), None);
}

/// Dropped replies are gone, and later ones start afresh.
pub fn dropped_replies_are_gone(transport: &dyn Transport) {
    let reply = |job_id: u64| Reply {
        job_id,
        body: ReplyBody::DeadLettered {
            reason: "test".into(),
        },
    };
    transport.reply("replies-a", &reply(1)).unwrap();
    transport.drop_replies("replies-a").unwrap();
    assert!(transport.replies("replies-a", SHORT).unwrap().is_empty());
    transport.reply("replies-a", &reply(2)).unwrap();
    assert_eq!(
        transport.replies("replies-a", SHORT).unwrap(),
        vec![reply(2)]
    );
}

/// Only workers with a recent heartbeat count as live, with the load they last reported.
pub fn tracks_worker_heartbeats(transport: &dyn Transport) {
    let load = |name: &str, busy| WorkerLoad {
        name: name.to_string(),
        concurrency: 2,
        busy,
    };
    assert!(transport
        .live_workers(Duration::from_secs(5))
        .unwrap()
        .is_empty());
    transport.heartbeat(&load("w-old", 0)).unwrap();
    std::thread::sleep(Duration::from_millis(150));
    transport.heartbeat(&load("w-new", 0)).unwrap();
    transport.heartbeat(&load("w-new", 1)).unwrap();
    assert_eq!(
        transport.live_workers(Duration::from_secs(5)).unwrap(),
        [load("w-new", 1), load("w-old", 0)]
    );
    assert_eq!(
        transport.live_workers(Duration::from_millis(100)).unwrap(),
        [load("w-new", 1)]
    );
}

/// Runs every check, each on a fresh transport from `make`.
pub fn run_all(make: impl Fn() -> Arc<dyn Transport>) {
    delivers_each_job_once_in_order(&*make());
    reserve_waits_for_a_push(make());
    reclaims_only_unacknowledged_deliveries(&*make());
    stores_blobs_by_content_with_a_lifetime(&*make());
    routes_replies_to_their_producer(&*make());
    withdrawn_jobs_are_not_delivered(&*make());
    takes_back_only_undelivered_jobs(&*make());
    dropped_replies_are_gone(&*make());
    tracks_worker_heartbeats(&*make());
}

#[cfg(test)]
mod memory_transport_conforms {
    use std::sync::Arc;

    use crate::transport::{MemoryTransport, Transport};

    fn fresh() -> Arc<dyn Transport> {
        Arc::new(MemoryTransport::new())
    }

    macro_rules! conforms {
        ($($check:ident),* $(,)?) => {
            $(
                #[test]
                fn $check() {
                    super::$check(&*fresh());
                }
            )*
        };
    }

    conforms!(
        delivers_each_job_once_in_order,
        reclaims_only_unacknowledged_deliveries,
        stores_blobs_by_content_with_a_lifetime,
        routes_replies_to_their_producer,
        withdrawn_jobs_are_not_delivered,
        takes_back_only_undelivered_jobs,
        dropped_replies_are_gone,
        tracks_worker_heartbeats,
    );

    #[test]
    fn reserve_waits_for_a_push() {
        super::reserve_waits_for_a_push(fresh());
    }
}
