//! Remote overflow from the producer's side: a Scheduler forwarding its backlog to a
//! transport in memory, with workers driven by hand for the failure cases. (With real
//! workers, in memory and on Redis: crates/remote/tests/overflow_with_workers.rs.)
mod producer;

use std::sync::Arc;
use std::time::Duration;

use pixelpool_queue::transport::{MemoryTransport, Reply, ReplyBody, Transport};
use pixelpool_queue::*;
use producer::*;

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

#[test]
fn dead_letters_and_timeouts_run_here_and_late_or_duplicate_replies_are_ignored() {
    let Rig {
        transport,
        settled,
        scheduler,
        release,
        ..
    } = rig(remote_config("replies", Duration::from_millis(600)), 2);
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
    let Rig {
        transport,
        settled,
        scheduler,
        release,
        ..
    } = rig(remote_config("replies", Duration::from_secs(30)), 2);
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
    let Rig {
        transport,
        settled,
        done,
        scheduler,
        release,
    } = rig(remote_config("replies", Duration::from_secs(30)), 0);
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
    let Rig {
        transport,
        settled,
        scheduler,
        release,
        ..
    } = rig(remote_config("replies", Duration::from_secs(30)), 3);
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
