//! Remote overflow from the producer's side: a Scheduler forwarding its backlog to a
//! transport in memory, with workers driven by hand for the failure cases. (With real
//! workers, in memory and on Redis: crates/remote/tests/overflow_with_workers.rs.)
mod producer;

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pixelpool_engine::{decode, DecodeLimits, InputInfo};
use pixelpool_queue::transport::{
    MemoryTransport, RemoteOutput, Reply, ReplyBody, Transport, WorkerLoad,
};
use pixelpool_queue::*;
use producer::{collector, job, photo, remote_config, wait_until};

/// A local runner that holds each job until released, so tests decide the backlog.
fn gated() -> (Runner, Sender<()>) {
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

fn scheduler(runner: Runner) -> Scheduler {
    let config = SchedulerConfig {
        concurrency: 1,
        max_queue: 1000,
    };
    Scheduler::new(config, runner).unwrap()
}

/// A scheduler whose only thread is held by job 0, forwarding to `transport` from then on:
/// every later job waits here until forwarded or released.
fn held_scheduler(
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

fn live_worker(transport: &dyn Transport) {
    let load = WorkerLoad {
        name: "hand".into(),
        concurrency: 1,
        busy: 0,
    };
    transport.heartbeat(&load).unwrap();
}

fn dimensions(result: &JobResult) -> (u32, u32) {
    let header = decode::read_header(result.outputs[0].data.as_ref().unwrap()).unwrap();
    (header.width, header.height)
}

#[test]
fn nothing_is_forwarded_without_a_fresh_heartbeat_nor_above_the_size_bound() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    let (settled, done) = collector();
    let mut config = remote_config("replies", Duration::from_secs(30));
    config.max_input_bytes = 1000;
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    for id in 1..4 {
        scheduler.submit(job(id, &photo()), done(id)).unwrap();
    }
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(scheduler.stats().forwarded, 0, "no worker alive");

    live_worker(&*transport);
    scheduler.submit(job(4, b"small"), done(4)).unwrap();
    wait_until("the small input is forwarded", || {
        scheduler.stats().forwarded == 1
    });
    let delivery = transport
        .reserve("hand", Duration::from_secs(1))
        .unwrap()
        .expect("the small job");
    assert_eq!(delivery.job.unwrap().id, 4);
    assert!(
        transport
            .reserve("hand", Duration::from_millis(300))
            .unwrap()
            .is_none(),
        "the photos are above the bound"
    );
    for _ in 0..5 {
        release.send(()).unwrap();
    }
    // Job 4 stays out until its reply or timeout; the photos all ran here.
    wait_until("the photos settle", || settled.lock().unwrap().len() == 4);
    assert!(settled
        .lock()
        .unwrap()
        .iter()
        .all(|(_, o)| o.as_ref().unwrap().ran_on == RanOn::Local));
}

/// Waits for the one job the producer forwards, returning its id and delivery.
fn forwarded_job(transport: &dyn Transport) -> pixelpool_queue::transport::Delivery {
    transport
        .reserve("hand", Duration::from_secs(5))
        .unwrap()
        .expect("a forwarded job")
}

fn done_reply(transport: &dyn Transport, id: u64) -> Reply {
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
            },
            outputs: vec![RemoteOutput {
                format: bytes.format,
                width: bytes.width,
                height: bytes.height,
                blob,
            }],
            worker: "hand".into(),
        },
    }
}

#[test]
fn dead_letters_and_timeouts_run_here_and_late_or_duplicate_replies_are_ignored() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let config = remote_config("replies", Duration::from_millis(600));
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    let input = photo();
    for id in 1..3 {
        scheduler.submit(job(id, &input), done(id)).unwrap();
    }
    let first = forwarded_job(&*transport);
    let second = forwarded_job(&*transport);
    transport.fail(&first, "test").unwrap();
    let (first_id, second_id) = (first.job.unwrap().id, second.job.unwrap().id);

    // The first is dead-lettered: it comes back here. The second times out.
    let dead = Reply {
        job_id: first_id,
        body: ReplyBody::DeadLettered {
            reason: "test".into(),
        },
    };
    transport.reply("replies", &dead).unwrap();
    wait_until("both are back", || scheduler.stats().remote == 0);
    assert_eq!(scheduler.stats().queued, 2);
    // Replies after the fact, twice: ignored.
    transport
        .reply("replies", &done_reply(&*transport, second_id))
        .unwrap();
    transport
        .reply("replies", &done_reply(&*transport, second_id))
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        release.send(()).unwrap();
    }
    wait_until("all settle", || settled.lock().unwrap().len() == 3);
    std::thread::sleep(Duration::from_millis(300));
    let settled = settled.lock().unwrap();
    assert_eq!(settled.len(), 3, "each job settles once");
    assert!(settled
        .iter()
        .all(|(_, o)| o.as_ref().unwrap().ran_on == RanOn::Local));
    assert!(
        transport
            .reclaim("other", Duration::ZERO)
            .unwrap()
            .is_empty(),
        "the timed-out job was withdrawn"
    );
}

#[test]
fn a_duplicate_reply_settles_nothing_twice_and_a_cancelled_remote_job_is_withdrawn() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let config = remote_config("replies", Duration::from_secs(30));
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    let input = photo();
    for id in 1..3 {
        scheduler.submit(job(id, &input), done(id)).unwrap();
    }
    let a = forwarded_job(&*transport);
    let b = forwarded_job(&*transport);
    let a_id = a.job.unwrap().id;
    let b_id = b.job.unwrap().id;

    assert_eq!(scheduler.cancel(b_id), Cancelled::Removed);
    transport
        .reply("replies", &done_reply(&*transport, a_id))
        .unwrap();
    transport
        .reply("replies", &done_reply(&*transport, a_id))
        .unwrap();
    wait_until("a and b settle", || settled.lock().unwrap().len() == 2);
    release.send(()).unwrap();
    wait_until("the local job settles", || {
        settled.lock().unwrap().len() == 3
    });
    std::thread::sleep(Duration::from_millis(300));
    let settled = settled.lock().unwrap();
    assert_eq!(settled.len(), 3);
    let a_outcome = &settled.iter().find(|(id, _)| *id == a_id).unwrap().1;
    let a_result = a_outcome.as_ref().unwrap();
    assert_eq!(
        (a_result.ran_on, a_result.worker.as_deref()),
        (RanOn::Remote, Some("hand"))
    );
    assert_eq!(dimensions(a_result), (200, 133));
    let b_outcome = &settled.iter().find(|(id, _)| *id == b_id).unwrap().1;
    assert_eq!(b_outcome.as_ref().unwrap_err().code, ErrorCode::Aborted);
    assert!(
        transport.reclaim("other", Duration::ZERO).unwrap().len() == 1,
        "only a, unacknowledged by the hand worker, is still held; b was withdrawn"
    );
    let stats = scheduler.stats();
    assert_eq!(
        (stats.completed, stats.cancelled, stats.forwarded),
        (2, 1, 2)
    );
}

#[test]
fn a_remote_failure_names_the_input_and_output() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let config = remote_config("replies", Duration::from_secs(30));
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    scheduler.submit(job(1, b"garbage"), done(1)).unwrap();
    let delivery = forwarded_job(&*transport);
    let failed = Reply {
        job_id: delivery.job.unwrap().id,
        body: ReplyBody::Failed {
            code: "UNSUPPORTED_FORMAT".into(),
            message: "not an image".into(),
            output_index: None,
            worker: "hand".into(),
        },
    };
    transport.reply("replies", &failed).unwrap();
    wait_until("the failure settles", || settled.lock().unwrap().len() == 1);
    let error = settled.lock().unwrap()[0].1.clone().unwrap_err();
    assert_eq!(error.code, ErrorCode::UnsupportedFormat);
    assert_eq!(error.message, "input buffer (7 bytes): not an image");
    release.send(()).unwrap();
    wait_until("the local job settles", || {
        settled.lock().unwrap().len() == 2
    });
}

#[test]
fn jobs_no_worker_has_started_come_back_when_a_local_thread_is_idle() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let config = remote_config("replies", Duration::from_secs(30));
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    let input = photo();
    for id in 1..4 {
        scheduler.submit(job(id, &input), done(id)).unwrap();
    }
    wait_until("two are out", || scheduler.stats().remote == 2);
    // The hand worker starts one; the other still waits in the transport.
    let started = forwarded_job(&*transport);
    for _ in 0..3 {
        release.send(()).unwrap();
    }
    wait_until("the rest settle here", || {
        settled.lock().unwrap().len() == 3
    });
    assert_eq!(scheduler.stats().remote, 1, "the started one stays out");
    assert!(
        transport
            .reserve("hand", Duration::from_millis(200))
            .unwrap()
            .is_none(),
        "the waiting one was taken back"
    );
    let started_id = started.job.unwrap().id;
    transport
        .reply("replies", &done_reply(&*transport, started_id))
        .unwrap();
    wait_until("all settle", || settled.lock().unwrap().len() == 4);
    let settled = settled.lock().unwrap();
    for (id, outcome) in settled.iter() {
        let expected = if *id == started_id {
            RanOn::Remote
        } else {
            RanOn::Local
        };
        assert_eq!(outcome.as_ref().unwrap().ran_on, expected, "job {id}");
    }
}

#[test]
fn a_remote_result_is_cached_under_the_key_taken_when_it_left() {
    let dir = std::env::temp_dir().join(format!("pixelpool-overflow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input_path = dir.join("in.png");
    std::fs::write(&input_path, photo()).unwrap();
    let cache = Arc::new(Cache::new(dir.join("cache"), 1 << 30));
    let pipeline = Arc::new(Pipeline::new(Some(cache)));
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let (runner, release) = gated();
    let scheduler = scheduler(runner);
    scheduler.submit(job(0, &photo()), done(0)).unwrap();
    wait_until("job 0 runs", || scheduler.stats().running == 1);
    let config = remote_config("replies", Duration::from_secs(30));
    scheduler.forward_to(Arc::clone(&transport), config, Arc::clone(&pipeline));
    let forwarded = Job {
        input: Input::Path(input_path.clone()),
        ..job(1, b"")
    };
    scheduler.submit(forwarded.clone(), done(1)).unwrap();
    let delivery = forwarded_job(&*transport);
    // The reply must not need the input again: it is gone before the result comes.
    std::fs::remove_file(&input_path).unwrap();
    let reply = done_reply(&*transport, delivery.job.unwrap().id);
    transport.reply("replies", &reply).unwrap();
    wait_until("job 1 settles", || {
        settled.lock().unwrap().iter().any(|(id, _)| *id == 1)
    });
    let remote = settled
        .lock()
        .unwrap()
        .iter()
        .find(|(id, _)| *id == 1)
        .unwrap()
        .1
        .clone();
    assert_eq!(remote.unwrap().ran_on, RanOn::Remote);

    std::fs::write(&input_path, photo()).unwrap();
    let again = pipeline.run(&forwarded, &AtomicBool::new(false)).unwrap();
    assert!(
        again.cached,
        "the remote result was stored under the input's key"
    );
    release.send(()).unwrap();
    wait_until("job 0 settles", || settled.lock().unwrap().len() == 2);
    let _ = std::fs::remove_dir_all(&dir);
}

fn output_blob(reply: &Reply) -> String {
    match &reply.body {
        ReplyBody::Done { outputs, .. } => outputs[0].blob.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_window_is_bounded_by_bytes_and_blobs_go_once_no_job_needs_them() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let mut config = remote_config("replies", Duration::from_secs(30));
    config.max_in_flight_bytes = 1;
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    let input = photo();
    for id in 1..4 {
        scheduler.submit(job(id, &input), done(id)).unwrap();
    }
    wait_until("one is out", || scheduler.stats().remote == 1);
    std::thread::sleep(Duration::from_millis(400));
    let stats = scheduler.stats();
    assert_eq!(
        (stats.remote, stats.forwarded),
        (1, 1),
        "one input's bytes fill the window"
    );

    let first = forwarded_job(&*transport).job.unwrap();
    assert!(transport.get_blob(&first.input).unwrap().is_some());
    let reply = done_reply(&*transport, first.id);
    let output = output_blob(&reply);
    transport.reply("replies", &reply).unwrap();
    wait_until("the next one goes out", || scheduler.stats().forwarded == 2);
    assert_eq!(
        transport.get_blob(&output).unwrap(),
        None,
        "fetched outputs are deleted"
    );
    let second = forwarded_job(&*transport).job.unwrap();
    assert_eq!(second.input, first.input, "the same photo, uploaded again");
    transport
        .reply("replies", &done_reply(&*transport, second.id))
        .unwrap();
    wait_until("two ran remotely", || scheduler.stats().completed == 2);
    for _ in 0..4 {
        release.send(()).unwrap();
    }
    wait_until("all settle", || settled.lock().unwrap().len() == 4);
    wait_until("nothing is out", || scheduler.stats().remote == 0);
    assert_eq!(
        transport.get_blob(&first.input).unwrap(),
        None,
        "no job out needs the input any more"
    );
}

#[test]
fn an_input_blob_two_jobs_out_share_stays_until_both_settle() {
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let config = remote_config("replies", Duration::from_secs(30));
    let (scheduler, release) = held_scheduler(&transport, config, done(0));
    let input = photo();
    for id in 1..3 {
        scheduler.submit(job(id, &input), done(id)).unwrap();
    }
    let (a, b) = (forwarded_job(&*transport), forwarded_job(&*transport));
    let (a, b) = (a.job.unwrap(), b.job.unwrap());
    assert_eq!(a.input, b.input);
    transport
        .reply("replies", &done_reply(&*transport, a.id))
        .unwrap();
    wait_until("a settles", || settled.lock().unwrap().len() == 1);
    assert!(
        transport.get_blob(&b.input).unwrap().is_some(),
        "b still needs it"
    );
    transport
        .reply("replies", &done_reply(&*transport, b.id))
        .unwrap();
    wait_until("b settles", || settled.lock().unwrap().len() == 2);
    assert_eq!(transport.get_blob(&b.input).unwrap(), None);
    release.send(()).unwrap();
    wait_until("job 0 settles", || settled.lock().unwrap().len() == 3);
}
