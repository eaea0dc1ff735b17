//! Animated GIF and WebP through `animated`: every frame resized, delays and loop count
//! kept, GIF frame deltas, and the pixel bound over frames x width x height.
mod common;

use common::*;
use pixelpool_engine::decode::{self, decode_frames};
use pixelpool_engine::encode::{encode_frames, Metadata};
use pixelpool_engine::{
    process, DecodeLimits, Encoding, ErrorKind, Frames, GifSettings, Image, OutputSpec, Rgba, Trim,
};

fn gif_encoding() -> Encoding {
    Encoding::Gif(GifSettings::default())
}

fn animated() -> DecodeLimits {
    DecodeLimits {
        animated: true,
        ..DecodeLimits::default()
    }
}

/// Three 60x40 frames: red, green, blue, each with a white square in a different place.
fn three_frames() -> Frames {
    let colours = [[220, 30, 30, 255], [30, 200, 40, 255], [40, 60, 230, 255]];
    let images = colours
        .iter()
        .enumerate()
        .map(|(i, colour)| {
            let mut image = Image::filled(60, 40, colour);
            for y in 10..20 {
                for x in 10 + i * 15..20 + i * 15 {
                    let at = (y * 60 + x) * 4;
                    image.data[at..at + 4].copy_from_slice(&[255, 255, 255, 255]);
                }
            }
            image
        })
        .collect();
    Frames {
        images,
        delays: vec![100, 250, 400],
        loop_count: 3,
    }
}

fn encoded(frames: &Frames, encoding: Encoding) -> Vec<u8> {
    encode_frames(frames, &encoding, Rgba::BLACK, &Metadata::default()).unwrap()
}

fn frames_of(bytes: &[u8]) -> Frames {
    let header = decode::read_header(bytes).unwrap();
    decode_frames(bytes, &header, &animated()).unwrap()
}

#[test]
fn gif_and_webp_animations_round_trip_frames_delays_and_loops() {
    let source = three_frames();
    for encoding in [gif_encoding(), webp(90)] {
        let decoded = frames_of(&encoded(&source, encoding));
        assert_eq!(decoded.images.len(), 3, "{encoding:?}");
        assert_eq!(decoded.delays, source.delays, "{encoding:?}");
        assert_eq!(decoded.loop_count, 3, "{encoding:?}");
        for (ours, theirs) in decoded.images.iter().zip(&source.images) {
            let difference = mean_difference(ours, theirs);
            assert!(difference < 3.0, "{encoding:?}: {difference}");
        }
    }
}

#[test]
fn a_gif_frame_equal_to_the_one_before_lengthens_it_unless_kept() {
    let mut source = three_frames();
    source.images.insert(1, source.images[0].clone());
    source.delays = vec![100, 150, 250, 400];
    let merged = frames_of(&encoded(&source, gif_encoding()));
    assert_eq!(merged.delays, [250, 250, 400]);
    let keep = Encoding::Gif(GifSettings {
        keep_duplicate_frames: true,
        ..GifSettings::default()
    });
    let kept = frames_of(&encoded(&source, keep));
    assert_eq!(kept.delays, source.delays);
}

#[test]
fn an_animated_job_resizes_every_frame_and_keeps_the_timing() {
    let gif = encoded(&three_frames(), gif_encoding());
    let outputs = [
        sized(Some(30), None, gif_encoding()),
        sized(Some(30), None, webp(80)),
        sized(Some(30), None, png_lossless()),
    ];
    let out = process(&gif, &outputs, &animated()).unwrap();
    assert_eq!(out.input.pages, 3);
    for (output, frames) in out.outputs[..2].iter().zip([3, 3]) {
        let decoded = frames_of(&output.bytes);
        assert_eq!(decoded.images.len(), frames);
        assert_eq!(
            (decoded.images[0].width, decoded.images[0].height),
            (30, 20)
        );
        assert_eq!(decoded.delays, vec![100, 250, 400]);
        // The last frame is blue: the resize kept each frame's own pixels.
        let blue = decoded.images[2].pixel(2, 2);
        assert!(blue[2] > 200 && blue[0] < 80, "{blue:?}");
    }
    // PNG holds no animation: the first frame.
    let first = decode_all(&out.outputs[2].bytes);
    assert!(first.pixel(2, 2)[0] > 200, "{:?}", first.pixel(2, 2));
    // Without `animated`, the first frame only, as before.
    let still = process(&gif, &outputs[..1], &DecodeLimits::default()).unwrap();
    assert_eq!(still.input.pages, 1);
    assert_eq!(frames_of(&still.outputs[0].bytes).images.len(), 1);
}

#[test]
fn gif_frames_after_the_first_hold_only_what_changed() {
    let mut frames = three_frames();
    // The second frame differs from the first by one 4x4 square only.
    let mut second = frames.images[0].clone();
    for y in 30..34 {
        for x in 40..44 {
            let at = (y * 60 + x) * 4;
            second.data[at..at + 4].copy_from_slice(&[0, 0, 0, 255]);
        }
    }
    frames.images = vec![frames.images[0].clone(), second];
    frames.delays.truncate(2);
    let bytes = encoded(&frames, gif_encoding());
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(&bytes[..]).unwrap();
    let first = decoder.read_next_frame().unwrap().unwrap();
    assert_eq!((first.width, first.height), (60, 40));
    let second = decoder.read_next_frame().unwrap().unwrap();
    assert_eq!(
        (second.left, second.top, second.width, second.height),
        (40, 30, 4, 4)
    );
    let shown = frames_of(&bytes);
    assert_eq!(shown.images[1].pixel(41, 31), &[0, 0, 0, 255]);
    assert!(mean_difference(&shown.images[1], &frames.images[1]) < 3.0);
}

#[test]
fn a_still_gif_output_keeps_colours_and_transparency() {
    let mut image = Image::filled(32, 32, &[250, 120, 10, 255]);
    image.data[..32 * 4 * 8]
        .iter_mut()
        .skip(3)
        .step_by(4)
        .for_each(|a| *a = 0);
    let bytes = pixelpool_engine::encode::encode(
        &image,
        &gif_encoding(),
        Rgba::BLACK,
        &Metadata::default(),
    )
    .unwrap();
    let decoded = decode_all(&bytes);
    assert_eq!(
        decoded.pixel(5, 2)[3],
        0,
        "transparent rows stay transparent"
    );
    let orange = decoded.pixel(5, 20);
    assert!(
        orange[0] > 240 && (110..=130).contains(&orange[1]) && orange[3] == 255,
        "{orange:?}"
    );
    // Two colours is a valid palette too.
    let two = Encoding::Gif(GifSettings {
        colours: 2,
        effort: 1,
        dither: 0.0,
        ..GifSettings::default()
    });
    let spec = OutputSpec::new(two);
    process(&bytes, &[spec], &DecodeLimits::default()).unwrap();
}

#[test]
fn the_pixel_limit_counts_every_frame() {
    let gif = encoded(&three_frames(), gif_encoding());
    // Two frames fit, the third does not.
    let limits = DecodeLimits {
        max_pixels: 60 * 40 * 2,
        ..animated()
    };
    let error = process(&gif, &[sized(Some(30), None, gif_encoding())], &limits).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InputTooLarge, "{}", error.message);
    assert!(error.message.contains("3 frames"), "{}", error.message);
    // The first frame alone is within it.
    let still = DecodeLimits {
        animated: false,
        ..limits
    };
    process(&gif, &[sized(Some(30), None, gif_encoding())], &still).unwrap();
}

#[test]
fn per_frame_choices_are_refused_on_an_animation() {
    let gif = encoded(&three_frames(), gif_encoding());
    let trimmed = OutputSpec {
        trim: Some(Trim::within(10.0)),
        ..OutputSpec::new(gif_encoding())
    };
    let error = process(&gif, &[trimmed], &animated()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidOption);
    assert!(
        error
            .message
            .contains("Trim is not supported for multi-page images"),
        "{}",
        error.message
    );
}

#[test]
fn page_picks_one_frame_of_an_animation_as_shown() {
    let source = three_frames();
    for encoding in [gif_encoding(), webp(90)] {
        let bytes = encoded(&source, encoding);
        for page in 0..3u32 {
            let limits = DecodeLimits {
                page,
                ..DecodeLimits::default()
            };
            let header = decode::read_header(&bytes).unwrap();
            let picked =
                decode::decode(&bytes, &header, decode::DecodeScale::FULL, &limits).unwrap();
            let expected = &source.images[page as usize];
            // An opaque GIF frame decodes without alpha, as libvips loads it.
            let picked = pixelpool_engine::pixels::with_channels(&picked, expected.channels);
            let difference = mean_difference(&picked, expected);
            assert!(difference < 3.0, "{encoding:?} page {page}: {difference}");
        }
        // Only one frame is kept: a limit of one frame's pixels still reads the last page.
        let one_frame = DecodeLimits {
            page: 2,
            max_pixels: 60 * 40,
            ..DecodeLimits::default()
        };
        let spec = OutputSpec::new(png_lossless());
        assert!(process(&bytes, std::slice::from_ref(&spec), &one_frame).is_ok());
        let beyond = DecodeLimits {
            page: 3,
            ..DecodeLimits::default()
        };
        let error = process(&bytes, &[spec], &beyond).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidOption, "{}", error.message);
        assert!(error.message.contains("3 page(s)"), "{}", error.message);
    }
}

/// Two frames of many colours each, far apart: warm gradients, then cool ones.
fn warm_then_cool() -> Frames {
    let gradient = |warm: bool| {
        let mut image = Image::filled(96, 64, &[0, 0, 0, 255]);
        for (at, pixel) in image.data.chunks_exact_mut(4).enumerate() {
            let (x, y) = ((at % 96) as u8, (at / 96) as u8);
            let (a, b) = (x.wrapping_mul(2), y.wrapping_mul(3));
            pixel[..3].copy_from_slice(&match warm {
                true => [200 + a / 5, 40 + b / 2, a / 4],
                false => [b / 4, 60 + a / 2, 150 + b / 3],
            });
        }
        image
    };
    Frames {
        images: vec![gradient(true), gradient(false)],
        delays: vec![100, 100],
        loop_count: 0,
    }
}

/// Which frames carry a local colour table, as the gif crate reads the file.
fn local_palettes(bytes: &[u8]) -> Vec<bool> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(bytes).unwrap();
    std::iter::from_fn(|| {
        decoder
            .read_next_frame()
            .unwrap()
            .map(|f| f.palette.is_some())
    })
    .collect()
}

#[test]
fn a_frame_far_from_the_global_palette_gets_its_own_within_inter_palette_max_error() {
    let frames = warm_then_cool();
    let with = |inter_palette_max_error: f64| {
        encoded(
            &frames,
            Encoding::Gif(GifSettings {
                inter_palette_max_error,
                ..GifSettings::default()
            }),
        )
    };
    let (strict, lenient) = (with(0.0), with(256.0));
    assert_eq!(local_palettes(&strict), [false, true]);
    assert_eq!(local_palettes(&lenient), [false, false]);
    // The frame's own palette shows it more truly than the one shared with the other.
    let error = |bytes: &[u8]| mean_difference(&frames_of(bytes).images[1], &frames.images[1]);
    assert!(
        error(&strict) < error(&lenient),
        "{} {}",
        error(&strict),
        error(&lenient)
    );
}
