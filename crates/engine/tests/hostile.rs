//! The hostile corpus: broken, truncated, bit-flipped and extreme inputs of every format,
//! made here from valid images, plus the files in tests/hostile/ (fuzzer findings). Each one
//! must process or fail with a coded error, within a time bound, without aborting the
//! process, and the whole run must stay within a memory bound.
mod bombs;
mod common;

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::{
    process, DecodeLimits, Encoding, ErrorKind, FailOn, GifSettings, Image, Rgba,
};

const TIME_BOUND: Duration = Duration::from_secs(20);
/// Peak resident memory of this test process; the largest legitimate decode here is a
/// 4000 x 4000 PNG (48 MB of pixels).
const MEMORY_BOUND_MB: u64 = 1500;

fn textured(width: u32, height: u32, channels: u8) -> Image {
    let mut seed = 7u32;
    let data = (0..width * height * channels as u32)
        .map(|i| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((i % 251) as u8).wrapping_add((seed >> 28) as u8)
        })
        .collect();
    Image::new(width, height, channels, data)
}

fn encoded(image: &Image, encoding: Encoding) -> Vec<u8> {
    encode(image, &encoding, Rgba::BLACK, &Metadata::default()).unwrap()
}

/// One valid small file per format we can write, plus GIF and TIFF made by hand, and the
/// test files of the codings and sample classes read beyond the usual decoders.
fn valid_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let rgb = textured(48, 32, 3);
    let rgba = textured(48, 32, 4);
    vec![
        ("jpeg", encoded(&rgb, jpeg(80))),
        (
            "jpeg-progressive",
            encoded(
                &rgb,
                Encoding::Jpeg {
                    quality: 80,
                    progressive: true,
                    chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
                    optimise_coding: true,
                },
            ),
        ),
        ("png", encoded(&rgba, png_lossless())),
        ("webp", encoded(&rgb, webp(80))),
        (
            "webp-alpha",
            encoded(
                &rgba,
                Encoding::Webp {
                    quality: 80,
                    lossless: true,
                    effort: 1,
                    alpha_quality: 100,
                    smart_subsample: false,
                    smart_deblock: false,
                    preset: pixelpool_engine::WebpPreset::Default,
                    exact: false,
                    near_lossless: false,
                },
            ),
        ),
        (
            "avif",
            encoded(
                &rgba,
                Encoding::Avif {
                    quality: 60,
                    effort: 9,
                    lossless: false,
                    chroma_subsampling: pixelpool_engine::ChromaSubsampling::Full,
                },
            ),
        ),
        ("gif", tiny_gif()),
        ("tiff", tiny_tiff(48, 32, &textured(48, 32, 3).data)),
        ("jxl", jxl_fixture("small.jxl")),
        ("jxl-lossy", jxl_fixture("lossy.jxl")),
        ("svg", SVG_LOGO.as_bytes().to_vec()),
        ("avif grid", avif_fixture("grid-alpha.avif")),
        ("jpeg lossless", lossless_jpeg()),
        ("jpeg 12-bit", test_file("jpeg", "dct12-420-restart.jpg")),
        (
            "jpeg 12-bit progressive",
            test_file("jpeg", "dct12-progressive.jpg"),
        ),
        ("jpeg arithmetic", test_file("jpeg", "arithmetic.jpg")),
        (
            "jpeg arithmetic progressive",
            test_file("jpeg", "arithmetic-progressive.jpg"),
        ),
        // The TIFF classes read beyond the tiff crate's colour types (tests/tiff/README.md).
        ("tiff ycbcr subsampled", test_file("tiff", "ycbcr-lzw.tif")),
        ("tiff logluv", test_file("tiff", "logluv.tif")),
        ("tiff planar", test_file("tiff", "planar.tif")),
        (
            "tiff float predictor",
            test_file("tiff", "float-predictor.tif"),
        ),
        ("tiff half-float", test_file("tiff", "half-float.tif")),
        (
            "tiff bigtiff big-endian",
            test_file("tiff", "bigtiff-be.tif"),
        ),
        ("tiff cmyka 16-bit", test_file("tiff", "cmyka16.tif")),
    ]
}

const SVG_LOGO: &str = "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' \
    width='48' height='32' viewBox='0 0 48 32'><defs><linearGradient id='g'><stop offset='0' \
    stop-color='#f60'/><stop offset='1' stop-color='#06f'/></linearGradient></defs><rect \
    width='48' height='32' rx='6' fill='url(#g)'/><circle cx='24' cy='16' r='9' fill='#fff' \
    opacity='0.8'/><text x='4' y='28' font-size='8'>pp</text></svg>";

/// A 2048x2048 progressive JPEG whose last scan is repeated until it has `scans` of them.
fn jpeg_of_scans(scans: usize) -> Vec<u8> {
    let bytes = encoded(
        &textured(2048, 2048, 3),
        Encoding::Jpeg {
            quality: 60,
            progressive: true,
            chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
            optimise_coding: true,
        },
    );
    let last_scan = bytes
        .windows(2)
        .rposition(|w| w == [0xFF, 0xDA])
        .expect("a scan");
    let end = bytes.len() - 2;
    let written = bytes[..end]
        .windows(2)
        .filter(|w| *w == [0xFF, 0xDA])
        .count();
    let mut out = bytes[..end].to_vec();
    for _ in written..scans {
        out.extend_from_slice(&bytes[last_scan..end]);
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A GIF of 10,000 frames of 8x8, each a shade different.
fn gif_of_many_frames() -> Vec<u8> {
    let images = (0..10_000u32)
        .map(|i| Image::filled(8, 8, &[(i % 251) as u8, (i / 251) as u8, 90, 255]))
        .collect();
    let frames = pixelpool_engine::Frames {
        images,
        delays: vec![20; 10_000],
        loop_count: 0,
    };
    let gif = Encoding::Gif(GifSettings::default());
    pixelpool_engine::encode::encode_frames(&frames, &gif, Rgba::BLACK, &Metadata::default())
        .unwrap()
}

/// A lossless (SOF3) JPEG made by the reference libjpeg (tests/jpeg/README.md).
fn lossless_jpeg() -> Vec<u8> {
    test_file("jpeg", "lossless-rgb.jpg")
}

/// An AVIF made by avifenc (tests/avif/README.md).
fn avif_fixture(name: &str) -> Vec<u8> {
    test_file("avif", name)
}

/// A JPEG XL made by cjxl (tests/jxl/README.md).
fn jxl_fixture(name: &str) -> Vec<u8> {
    test_file("jxl", name)
}

/// A bare JPEG XL codestream whose size header claims `side` x `side` (side <= 2^30), with
/// default metadata and zeros after it (jxl-oxide wants a frame header's worth of bytes
/// before it reports the image header): bits are written least significant first.
fn jxl_claiming(side: u32) -> Vec<u8> {
    let mut bits: Vec<bool> = Vec::new();
    let mut put = |value: u32, count: u32| (0..count).for_each(|i| bits.push(value >> i & 1 == 1));
    put(0, 1); // not small
    put(3, 2); // height: U32 selector 3, 30 bits + 1
    put(side - 1, 30);
    put(0, 3); // ratio 0: width follows
    put(3, 2);
    put(side - 1, 30);
    put(1, 1); // image metadata: all default
    let mut bytes = vec![0xFF, 0x0A];
    bytes.extend(bits.chunks(8).map(|byte| {
        byte.iter()
            .enumerate()
            .fold(0u8, |acc, (i, &bit)| acc | (bit as u8) << i)
    }));
    bytes.extend([0; 200]);
    bytes
}

/// A 2x2 GIF with a 4-colour palette.
fn tiny_gif() -> Vec<u8> {
    let mut bytes = b"GIF89a\x02\x00\x02\x00\x91\x00\x00".to_vec();
    bytes.extend_from_slice(&[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    bytes.extend_from_slice(b"\x2c\x00\x00\x00\x00\x02\x00\x02\x00\x00");
    bytes.extend_from_slice(&[2, 3, 0x84, 0x1d, 0x05, 0]);
    bytes.push(0x3b);
    bytes
}

/// An uncompressed 8-bit RGB TIFF, little-endian, one strip of `pixels` (which a hostile
/// file may not fill).
fn tiny_tiff(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
    let entries: [(u16, u16, u32); 9] = [
        (256, 4, width),               // ImageWidth
        (257, 4, height),              // ImageLength
        (258, 3, 8),                   // BitsPerSample (one value for all samples)
        (259, 3, 1),                   // Compression: none
        (262, 3, 2),                   // Photometric: RGB
        (273, 4, 8),                   // StripOffsets: right after the header
        (277, 3, 3),                   // SamplesPerPixel
        (278, 4, height),              // RowsPerStrip
        (279, 4, pixels.len() as u32), // StripByteCounts
    ];
    let mut bytes = b"II*\0".to_vec();
    let ifd_offset = 8 + pixels.len() as u32;
    bytes.extend_from_slice(&ifd_offset.to_le_bytes());
    bytes.extend_from_slice(pixels);
    bytes.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        bytes.extend_from_slice(&tag.to_le_bytes());
        bytes.extend_from_slice(&kind.to_le_bytes());
        bytes.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            bytes.extend_from_slice(&(value as u16).to_le_bytes());
            bytes.extend_from_slice(&[0, 0]);
        } else {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes
}

/// A PNG whose IHDR claims `width` x `height`, with a valid CRC and no usable data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = encoded(&Image::filled(1, 1, &[1, 2, 3]), png_lossless());
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// A JPEG whose frame header claims `width` x `height`.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    frame_claiming(encoded(&textured(16, 16, 3), jpeg(80)), 0xC0, width, height)
}

/// `bytes` with the frame header (`sof` marker) changed to claim `width` x `height`.
fn frame_claiming(mut bytes: Vec<u8>, sof: u8, width: u16, height: u16) -> Vec<u8> {
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, sof])
        .expect("JPEG has the frame header");
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// A 4000 x 4000 black PNG: kilobytes that decode to 48 MB.
fn png_bomb() -> Vec<u8> {
    encoded(&Image::filled(4000, 4000, &[0, 0, 0]), png_lossless())
}

fn hostile_corpus() -> Vec<(String, Vec<u8>)> {
    let mut corpus: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("one byte".into(), vec![0xFF]),
        ("jpeg signature only".into(), vec![0xFF, 0xD8, 0xFF]),
        ("png signature only".into(), b"\x89PNG\r\n\x1a\n".to_vec()),
        ("webp riff only".into(), b"RIFF\x04\0\0\0WEBP".to_vec()),
        ("gif signature only".into(), b"GIF89a".to_vec()),
        (
            "avif ftyp only".into(),
            b"\0\0\0\x14ftypavif\0\0\0\0avif".to_vec(),
        ),
        ("tiff signature only".into(), b"II*\0\x08\0\0\0".to_vec()),
        (
            "tiff ifd loop".into(),
            b"II*\0\x08\0\0\0\x00\x00\x08\0\0\0".to_vec(),
        ),
        (
            "png claims 100000x100000".into(),
            png_claiming(100_000, 100_000),
        ),
        ("png claims 0x0".into(), png_claiming(0, 0)),
        (
            "jpeg claims 65500x65500".into(),
            jpeg_claiming(65_500, 65_500),
        ),
        ("jpeg claims 0x0".into(), jpeg_claiming(0, 0)),
        (
            "jpeg 12-bit claims 65500x65500".into(),
            frame_claiming(
                test_file("jpeg", "dct12-progressive.jpg"),
                0xC2,
                65_500,
                65_500,
            ),
        ),
        (
            "tiff claims 1000000x1000000".into(),
            tiny_tiff(1_000_000, 1_000_000, &[7; 300]),
        ),
        (
            "tiff 1x1000000 enlarged to 64 wide".into(),
            tiny_tiff(1, 1_000_000, &vec![7; 3_000_000]),
        ),
        ("png bomb 4000x4000".into(), png_bomb()),
        ("jxl claims 2^30x2^30".into(), jxl_claiming(1 << 30)),
        ("jxl signature only".into(), vec![0xFF, 0x0A]),
        ("gif of 10000 frames".into(), gif_of_many_frames()),
        ("jpeg of 3000 scans".into(), jpeg_of_scans(3000)),
    ];
    corpus.extend(bombs::svg_inputs());
    let mut seed = 99u32;
    let mut random = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24) as u8
            })
            .collect()
    };
    corpus.push(("random 4 KiB".into(), random(4096)));
    for (name, valid) in valid_inputs() {
        for percent in [5, 30, 60, 95] {
            let cut = valid.len() * percent / 100;
            corpus.push((format!("{name} cut at {percent}%"), valid[..cut].to_vec()));
        }
        // Flip bytes past the signature, at spread positions, a few at a time.
        for round in 0..8 {
            let mut flipped = valid.clone();
            for _ in 0..4 {
                let noise = random(3);
                let at = 8
                    + (u32::from_le_bytes([noise[0], noise[1], noise[2], 0]) as usize)
                        % (flipped.len() - 8);
                flipped[at] ^= noise[2] | 1;
            }
            corpus.push((format!("{name} bit-flipped #{round}"), flipped));
        }
        let mut appended = valid.clone();
        appended.extend(random(1000));
        corpus.push((format!("{name} with trailing garbage"), appended));
    }
    let findings = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    if let Ok(entries) = std::fs::read_dir(&findings) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            corpus.push((
                format!("tests/hostile/{name}"),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    corpus
}

fn peak_memory_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb / 1024)
}

#[test]
fn every_hostile_input_processes_or_fails_with_a_code_in_time() {
    let specs = [
        sized(Some(64), None, jpeg(70)),
        sized(Some(40), Some(40), webp(60)),
    ];
    let mut outcomes = Vec::new();
    for (fail_on, animated) in [(FailOn::Warning, false), (FailOn::None, true)] {
        let limits = DecodeLimits {
            fail_on,
            animated,
            ..DecodeLimits::default()
        };
        for (name, bytes) in hostile_corpus() {
            let (sender, receiver) = mpsc::channel();
            let specs = specs.clone();
            let started = Instant::now();
            thread::spawn(move || {
                let _ = sender.send(process(&bytes, &specs, &limits).map(|_| ()));
            });
            let outcome = receiver
                .recv_timeout(TIME_BOUND)
                .unwrap_or_else(|_| panic!("{name}: no outcome within {TIME_BOUND:?}"));
            if let Err(error) = &outcome {
                assert_ne!(error.kind, ErrorKind::Internal, "{name}: {}", error.message);
                assert!(!error.message.is_empty(), "{name}: empty message");
            }
            outcomes.push((
                name,
                fail_on,
                outcome.map_err(|e| e.kind),
                started.elapsed(),
            ));
        }
    }
    let find = |wanted: &str| {
        outcomes
            .iter()
            .find(|(name, fail_on, _, _)| name == wanted && *fail_on == FailOn::Warning)
            .map(|(_, _, outcome, _)| *outcome)
            .unwrap()
    };
    // Extreme headers are refused from the header; the bomb is a real (large) image.
    assert_eq!(
        find("png claims 100000x100000"),
        Err(ErrorKind::InputTooLarge)
    );
    for claim in ["jpeg claims 65500x65500", "jpeg 12-bit claims 65500x65500"] {
        assert_eq!(find(claim), Err(ErrorKind::InputTooLarge), "{claim}");
    }
    // jxl-oxide reads the first frame header with the image header, and its profile limit
    // ("frame area too large") refuses this one there; a JXL within that limit but above
    // limitInputPixels is refused from the header like any other format.
    assert_eq!(find("jxl claims 2^30x2^30"), Err(ErrorKind::CorruptInput));
    assert_eq!(find("empty"), Err(ErrorKind::UnsupportedFormat));
    assert_eq!(find("svg billion laughs"), Err(ErrorKind::CorruptInput));
    // Work budgets (svg/references.rs, svg/cost.rs), not broken files.
    for bomb in [
        "svg use bomb",
        "svg pattern bomb",
        "svg pattern bomb in user space",
        "svg pattern tile of 100000x100000",
        "svg marker bomb",
    ] {
        assert_eq!(find(bomb), Err(ErrorKind::InputTooLarge), "{bomb}");
    }
    // 2048x2048 may have 2048 scans (MAX_BLOCK_SCANS): each one walks every block.
    assert_eq!(find("jpeg of 3000 scans"), Err(ErrorKind::InputTooLarge));
    // Octaves past 24 change nothing and are not drawn: the noise renders in time.
    assert_eq!(find("svg feTurbulence of 33333333333 octaves"), Ok(()));
    assert_eq!(
        find("svg claims 1000000x1000000"),
        Err(ErrorKind::InputTooLarge)
    );
    assert_eq!(find("png bomb 4000x4000"), Ok(()));
    // 64 x 64,000,000: refused before decoding, as libvips refuses sides past 10^7.
    assert_eq!(
        find("tiff 1x1000000 enlarged to 64 wide"),
        Err(ErrorKind::InputTooLarge)
    );
    // Read whole (the lenient pass keeps animations' frames): 10,000 frames in time.
    let all_frames = outcomes
        .iter()
        .find(|(name, fail_on, _, _)| name == "gif of 10000 frames" && *fail_on == FailOn::None)
        .unwrap();
    assert_eq!(all_frames.2, Ok(()), "{:?}", all_frames.3);
    // avif-parse reads boxes to the end of the file, so trailing bytes make an AVIF invalid;
    // XML allows nothing but comments after the root element.
    for (name, _) in valid_inputs()
        .into_iter()
        .filter(|(name, _)| !matches!(*name, "avif" | "svg"))
    {
        assert_eq!(
            find(&format!("{name} with trailing garbage")),
            Ok(()),
            "{name}"
        );
    }
    for (name, _) in valid_inputs() {
        assert!(find(&format!("{name} cut at 5%")).is_err(), "{name}");
    }
    // Without a pixel limit, the memory bound still refuses it from the header.
    let unlimited = DecodeLimits {
        max_pixels: u64::MAX,
        ..DecodeLimits::default()
    };
    let error = process(&jpeg_claiming(65_500, 65_500), &specs, &unlimited).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InputTooLarge, "{}", error.message);
    assert!(error.message.contains("MiB"), "{}", error.message);
    let peak = peak_memory_mb();
    assert!(peak < MEMORY_BOUND_MB, "peak memory {peak} MB");
    let slowest = outcomes.iter().max_by_key(|o| o.3).unwrap();
    let mut times: Vec<Duration> = outcomes.iter().map(|o| o.3).collect();
    times.sort();
    let at = |share: f64| times[((times.len() - 1) as f64 * share) as usize];
    eprintln!(
        "{} hostile inputs x 2 failOn settings; settled in: median {:?}, 90% {:?}, 99% {:?}; \
         slowest: {} in {:?}; peak memory {peak} MB",
        outcomes.len() / 2,
        at(0.5),
        at(0.9),
        at(0.99),
        slowest.0,
        slowest.3
    );
}
