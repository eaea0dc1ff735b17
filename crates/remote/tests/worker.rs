//! The worker loop, on the in-memory transport and on Redis, with real images.
mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::RedisServer;
use pixelpool_engine::{decode, DecodeLimits, Encoding, OutputSpec};
use pixelpool_queue::transport::{
    MemoryTransport, RemoteJob, Reply, ReplyBody, Transport, PROTOCOL_VERSION,
};
use pixelpool_remote::{handle, Handled, Log, RedisTransport, Worker, WorkerOptions};

const TTL: Duration = Duration::from_secs(60);

fn options() -> WorkerOptions {
    WorkerOptions {
        name: "worker-1".into(),
        max_deliveries: 3,
        visibility_timeout: Duration::from_secs(30),
        blob_ttl: TTL,
    }
}

fn photo() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/photos/kodak-kodim23.png");
    std::fs::read(path).expect("corpus photo")
}

fn job(transport: &dyn Transport, id: u64, input: &[u8]) -> RemoteJob {
    let width = Some(200);
    let spec = OutputSpec {
        width,
        ..OutputSpec::new(Encoding::Jpeg {
            quality: 80,
            progressive: false,
            chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
            optimise_coding: true,
        })
    };
    RemoteJob {
        version: PROTOCOL_VERSION,
        id,
        reply_to: "replies".into(),
        input: transport.put_blob(input, TTL).unwrap(),
        outputs: vec![spec],
        limits: DecodeLimits::default(),
    }
}

fn transports(server: &RedisServer) -> Vec<(&'static str, Arc<dyn Transport>)> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("worker-test-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    vec![
        ("memory", Arc::new(MemoryTransport::new())),
        (
            "redis",
            Arc::new(RedisTransport::connect(&server.url(), &name).unwrap()),
        ),
    ]
}

#[test]
fn a_job_is_processed_replied_and_acknowledged() {
    let server = RedisServer::start();
    for (kind, transport) in transports(&server) {
        transport.push(&job(&*transport, 1, &photo())).unwrap();
        let delivery = transport
            .reserve("worker-1", Duration::from_secs(1))
            .unwrap()
            .unwrap();
        assert!(
            matches!(
                handle(&*transport, &delivery, &options()).unwrap(),
                Handled::Done { .. }
            ),
            "{kind}"
        );
        let replies = transport
            .replies("replies", Duration::from_secs(1))
            .unwrap();
        let ReplyBody::Done {
            outputs,
            worker,
            input,
        } = &replies[0].body
        else {
            panic!("{kind}: {replies:?}")
        };
        assert_eq!((worker.as_str(), input.width), ("worker-1", 768), "{kind}");
        let bytes = transport
            .get_blob(&outputs[0].blob)
            .unwrap()
            .expect("output blob");
        let header = decode::read_header(&bytes).unwrap();
        assert_eq!((header.width, header.height), (200, 133), "{kind}");
        std::thread::sleep(Duration::from_millis(60));
        assert!(
            transport
                .reclaim("other", Duration::from_millis(50))
                .unwrap()
                .is_empty(),
            "{kind}: acknowledged"
        );
    }
}

#[test]
fn bad_images_fail_and_unusable_jobs_are_dead_lettered() {
    let server = RedisServer::start();
    for (kind, transport) in transports(&server) {
        transport
            .push(&job(&*transport, 2, b"not an image"))
            .unwrap();
        let mut missing = job(&*transport, 3, &photo());
        missing.input = "0".repeat(64);
        transport.push(&missing).unwrap();
        transport.push(&job(&*transport, 4, &photo())).unwrap();

        let next = || {
            transport
                .reserve("worker-1", Duration::from_secs(1))
                .unwrap()
                .unwrap()
        };
        let garbage = handle(&*transport, &next(), &options()).unwrap();
        assert_eq!(
            garbage,
            Handled::Failed {
                job: "2".into(),
                code: "UNSUPPORTED_FORMAT".into()
            },
            "{kind}"
        );
        let missing = handle(&*transport, &next(), &options()).unwrap();
        assert!(
            matches!(missing, Handled::DeadLettered { ref reason, .. } if reason.contains("input blob")),
            "{kind}: {missing:?}"
        );
        let mut tired = next();
        tired.attempts = 4;
        let tired = handle(&*transport, &tired, &options()).unwrap();
        assert!(
            matches!(tired, Handled::DeadLettered { ref reason, .. } if reason.contains("delivered 4 times")),
            "{kind}"
        );

        let replies = transport
            .replies("replies", Duration::from_secs(1))
            .unwrap();
        let kinds: Vec<&str> = replies
            .iter()
            .map(|r| match r.body {
                ReplyBody::Done { .. } => "done",
                ReplyBody::Failed { .. } => "failed",
                ReplyBody::DeadLettered { .. } => "dead",
            })
            .collect();
        assert_eq!(
            kinds,
            ["failed", "dead", "dead"],
            "{kind}: the producer hears of every job"
        );
        assert_eq!(transport.dead_letters().unwrap().len(), 2, "{kind}");
    }
}

/// Runs a worker of one thread until `expected` replies have come, or `patience` has
/// passed: what it handled, in order, and the replies.
fn serve(
    transport: &Arc<dyn Transport>,
    expected: usize,
    patience: Duration,
) -> (Vec<Handled>, Vec<Reply>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log: Log = {
        let seen = Arc::clone(&seen);
        Arc::new(move |handled| seen.lock().unwrap().push(handled.unwrap()))
    };
    let connect = || Ok(Arc::clone(transport));
    let worker = Worker::start(connect, options(), 1, log).unwrap();
    let poll = Duration::from_millis(100);
    let mut replies = Vec::new();
    for _ in 0..patience.as_millis() / poll.as_millis() {
        replies.extend(transport.replies("replies", poll).unwrap());
        if replies.len() >= expected {
            break;
        }
    }
    worker.stop();
    worker.join();
    let seen = seen.lock().unwrap().clone();
    (seen, replies)
}

#[test]
fn a_malformed_stream_entry_is_dead_lettered_and_the_worker_keeps_serving() {
    let server = RedisServer::start();
    let transport: Arc<dyn Transport> =
        Arc::new(RedisTransport::connect(&server.url(), "malformed").unwrap());
    let mut raw = redis::Client::open(server.url())
        .unwrap()
        .get_connection()
        .unwrap();
    redis::cmd("XADD")
        .arg("pixelpool:malformed:jobs")
        .arg("*")
        .arg("job")
        .arg("{not json")
        .query::<String>(&mut raw)
        .unwrap();
    transport.push(&job(&*transport, 5, &photo())).unwrap();

    let (seen, replies) = serve(&transport, 1, Duration::from_secs(5));
    assert!(
        matches!(&seen[0], Handled::DeadLettered { reason, .. } if reason.contains("unreadable job")),
        "{seen:?}"
    );
    assert!(
        matches!(&seen[1], Handled::Done { job, .. } if job == "5"),
        "{seen:?}"
    );
    assert_eq!(replies.len(), 1);
    let dead = transport.dead_letters().unwrap();
    assert!(dead[0].1.contains("unreadable job"), "{dead:?}");
    let live = transport.live_workers(Duration::from_secs(5)).unwrap();
    assert_eq!(live.len(), 1, "it sent heartbeats");
    assert_eq!(
        (live[0].name.as_str(), live[0].concurrency),
        ("worker-1", 1)
    );
}

/// The two SVGs that held a thread for minutes (issue 36): octaves by the billion, and
/// patterns nested ten deep, ten fills each.
fn hostile_svgs() -> [Vec<u8>; 2] {
    let turbulence = "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100'>\
        <filter id='f'><feTurbulence numOctaves='33333333333'/></filter>\
        <rect width='100' height='100' filter='url(#f)'/></svg>";
    let mut patterns = String::from(
        "<pattern id='p0' width='1' height='1'><rect width='9' height='9'/></pattern>",
    );
    for level in 1..10 {
        let fills = format!("<rect width='9' height='9' fill='url(#p{})'/>", level - 1).repeat(10);
        patterns.push_str(&format!(
            "<pattern id='p{level}' width='1' height='1'>{fills}</pattern>"
        ));
    }
    let bomb = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100'><defs>{patterns}</defs>\
         <rect width='100' height='100' fill='url(#p9)'/></svg>"
    );
    [turbulence.as_bytes().to_vec(), bomb.into_bytes()]
}

#[test]
fn a_worker_fed_hostile_svgs_between_ordinary_jobs_answers_them_all() {
    let server = RedisServer::start();
    let transport: Arc<dyn Transport> =
        Arc::new(RedisTransport::connect(&server.url(), "hostile").unwrap());
    let [turbulence, bomb] = hostile_svgs();
    let inputs = [photo(), turbulence, photo(), bomb, photo()];
    for (id, input) in inputs.iter().enumerate() {
        transport.push(&job(&*transport, id as u64, input)).unwrap();
    }
    // One thread serves them in order; before the work budgets, the first SVG alone kept
    // it busy for minutes. A minute for all five holds on a loaded machine.
    let (seen, replies) = serve(&transport, inputs.len(), Duration::from_secs(60));
    assert_eq!(replies.len(), inputs.len(), "{seen:?}");
    let outcomes: Vec<String> = seen
        .iter()
        .map(|handled| match handled {
            Handled::Done { job, .. } => format!("{job} done"),
            Handled::Failed { job, code } => format!("{job} {code}"),
            Handled::DeadLettered { job, reason } => format!("{job} dead: {reason}"),
        })
        .collect();
    assert_eq!(
        outcomes,
        ["0 done", "1 done", "2 done", "3 INPUT_TOO_LARGE", "4 done"]
    );
}
