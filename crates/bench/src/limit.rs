//! The decoder-bound limit of a sweep point: how many jobs a second this machine could do
//! if resizing cost nothing, i.e. a bare decode at the scale the pipeline chooses plus a
//! bare encode of an image of the output's size. A job's throughput over this limit says
//! how much is left to gain by making the resize (or anything else) cheaper.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pixelpool_engine::decode::{decode, read_header};
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::shrink::DecodeScale;
use pixelpool_engine::{decode_scale, DecodeLimits, Encoding, Image, OutputSpec, Rgba};

use crate::encoding::sweep_encoding;
use crate::shrink_quality::resized;

/// `limit <photo> <threads> <seconds> <format>:<width>...`: one line per point,
/// `<format>:<width>\t<jobs/s>\t<num>/<den>\t<decoded width>x<decoded height>`.
pub fn run(args: &[String]) -> Result<(), String> {
    let bytes = std::fs::read(&args[0]).map_err(|e| format!("{}: {e}", args[0]))?;
    let threads: usize = args[1].parse().map_err(|_| "threads must be a number")?;
    let seconds: f64 = args[2].parse().map_err(|_| "seconds must be a number")?;
    for point in &args[3..] {
        let (format, width) = point
            .split_once(':')
            .ok_or_else(|| format!("point '{point}' is not <format>:<width>"))?;
        let width: u32 = width
            .parse()
            .map_err(|_| format!("bad width in '{point}'"))?;
        let measured = measure(&bytes, sweep_encoding(format)?, width, threads, seconds)?;
        println!(
            "{point}\t{:.2}\t{}/{}\t{}x{}",
            measured.rate,
            measured.scale.num,
            measured.scale.den,
            measured.decoded.0,
            measured.decoded.1
        );
    }
    Ok(())
}

pub struct Limit {
    pub rate: f64,
    pub scale: DecodeScale,
    pub decoded: (u32, u32),
}

pub fn measure(
    bytes: &[u8],
    encoding: Encoding,
    width: u32,
    threads: usize,
    seconds: f64,
) -> Result<Limit, String> {
    let spec = OutputSpec {
        width: Some(width),
        ..OutputSpec::new(encoding)
    };
    let failed = |e: pixelpool_engine::EngineError| e.to_string();
    let header = read_header(bytes).map_err(failed)?;
    let scale = decode_scale(bytes, &[spec]).map_err(failed)?;
    let limits = DecodeLimits::default();
    let decoded = decode(bytes, &header, scale, &limits).map_err(failed)?;
    let output = output_sized(&decoded, width)?;

    let one_job = || -> Result<(), String> {
        let image = decode(bytes, &header, scale, &limits).map_err(failed)?;
        std::hint::black_box(image);
        let encoded = encode(&output, &encoding, Rgba::BLACK, &Metadata::default());
        std::hint::black_box(encoded.map_err(failed)?);
        Ok(())
    };
    one_job()?; // warm-up
    let rate = run_for(threads, Duration::from_secs_f64(seconds), one_job)?;
    Ok(Limit {
        rate,
        scale,
        decoded: (decoded.width, decoded.height),
    })
}

/// The decoded image at the output's size: what the encoder would be given.
fn output_sized(decoded: &Image, width: u32) -> Result<Image, String> {
    let height =
        ((decoded.height as f64 * width as f64 / decoded.width as f64).round() as u32).max(1);
    let extent = (decoded.width as f64, decoded.height as f64);
    resized(decoded, extent, width, height)
}

/// Jobs a second when `threads` threads each run `job` back to back for `duration`.
fn run_for(
    threads: usize,
    duration: Duration,
    job: impl Fn() -> Result<(), String> + Sync,
) -> Result<f64, String> {
    let done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let outcome: Result<(), String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    while !stop.load(Ordering::Relaxed) {
                        job()?;
                        done.fetch_add(1, Ordering::Relaxed);
                        if started.elapsed() >= duration {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("limit thread panicked"))
    });
    outcome?;
    Ok(done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}
