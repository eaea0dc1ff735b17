//! Text input (sharp's `{ text }`), drawn with the bundled DejaVu Sans so the results do not
//! depend on the machine's fonts.
use pixelpool_engine::text::{render, RenderedText, TextAlign, TextSpec, TextWrap};
use pixelpool_engine::ErrorKind;

const LIMIT: u64 = 268_402_689;

fn spec(text: &str) -> TextSpec {
    TextSpec {
        text: text.to_owned(),
        font: Some("DejaVu Sans 20".to_owned()),
        fontfile: None,
        width: None,
        height: None,
        align: TextAlign::Left,
        justify: false,
        dpi: None,
        rgba: false,
        spacing: 0,
        wrap: TextWrap::Word,
    }
}

fn drawn(spec: &TextSpec) -> RenderedText {
    render(spec, LIMIT).expect("text draws")
}

#[test]
fn plain_text_is_one_band_of_ink_coverage_cropped_to_the_ink() {
    let text = drawn(&spec("Hello"));
    let image = &text.image;
    assert_eq!((image.channels, text.dpi, text.autofit_dpi), (1, 72, 72));
    assert!(image.width > 30 && image.height > 10, "{image:?}");
    assert_eq!(image.data.iter().max(), Some(&255));
    assert_eq!(image.data.iter().min(), Some(&0));
    // Cropped to the ink: every edge row and column has some.
    let (w, h) = (image.width as usize, image.height as usize);
    let at = |x: usize, y: usize| image.data[y * w + x];
    assert!((0..w).any(|x| at(x, 0) > 0) && (0..w).any(|x| at(x, h - 1) > 0));
    assert!((0..h).any(|y| at(0, y) > 0) && (0..h).any(|y| at(w - 1, y) > 0));
}

#[test]
fn dpi_scales_the_drawing() {
    let at_72 = drawn(&spec("Hello"));
    let mut at_144 = spec("Hello");
    at_144.dpi = Some(144);
    let at_144 = drawn(&at_144);
    assert_eq!(at_144.dpi, 144);
    assert_eq!(
        at_144.autofit_dpi, 72,
        "libvips states autofit's dpi only when it ran"
    );
    let ratio = at_144.image.width as f64 / at_72.image.width as f64;
    assert!((1.9..2.1).contains(&ratio), "width ratio {ratio}");
}

#[test]
fn rgba_draws_markup_colours_and_black_where_none_is_stated() {
    let mut coloured = spec(r#"<span foreground="red">red</span>"#);
    coloured.rgba = true;
    let mut plain = spec("red");
    plain.rgba = true;
    let sums = |text: RenderedText| {
        assert_eq!(text.image.channels, 4);
        let mut sums = [0u64; 3];
        for pixel in text.image.data.chunks_exact(4).filter(|p| p[3] == 255) {
            for (sum, value) in sums.iter_mut().zip(pixel) {
                *sum += *value as u64;
            }
        }
        sums
    };
    let [r, g, b] = sums(drawn(&coloured));
    assert!(r > 0 && g == 0 && b == 0, "red text: {r} {g} {b}");
    assert_eq!(sums(drawn(&plain)), [0, 0, 0], "black text");
}

#[test]
fn a_background_fills_behind_its_span_and_not_beyond_the_ink() {
    let mut text = spec(r#"<span background="cyan">cool</span>"#);
    text.rgba = true;
    let with_background = drawn(&text);
    text.text = "cool".to_owned();
    let without = drawn(&text);
    let size = |t: &RenderedText| (t.image.width, t.image.height);
    assert_eq!(size(&with_background), size(&without));
    let opaque = |t: &RenderedText| t.image.data.chunks_exact(4).filter(|p| p[3] == 255).count();
    assert!(opaque(&with_background) > 2 * opaque(&without));
}

#[test]
fn width_wraps_lines_and_spacing_adds_pixels_between_them() {
    let line = drawn(&spec("one two three four"));
    let mut wrapped = spec("one two three four");
    wrapped.width = Some(line.image.width / 2);
    let wrapped_text = drawn(&wrapped);
    assert!(wrapped_text.image.width <= line.image.width / 2);
    assert!(wrapped_text.image.height > line.image.height);
    let mut two_lines = spec("one\ntwo");
    let close = drawn(&two_lines);
    two_lines.spacing = 30;
    let spaced = drawn(&two_lines);
    assert_eq!(spaced.image.height, close.image.height + 30);
}

#[test]
fn autofit_finds_the_largest_dpi_whose_ink_fits_the_box() {
    let mut boxed = spec("Hello, world!");
    (boxed.width, boxed.height) = (Some(300), Some(200));
    let fitted = drawn(&boxed);
    assert!(fitted.dpi > 72, "{}", fitted.dpi);
    assert_eq!(fitted.autofit_dpi, fitted.dpi);
    assert!(fitted.image.width <= 300 && fitted.image.height <= 200);
    let mut larger = boxed.clone();
    (larger.height, larger.dpi) = (None, Some(fitted.dpi + 1));
    let over = drawn(&larger);
    assert!(
        over.image.width > 300 || over.image.height > 200,
        "dpi + 1 still fits"
    );
}

#[test]
fn a_drawing_beyond_the_pixel_limit_is_refused_before_it_is_drawn() {
    let mut huge = spec("Hello");
    huge.dpi = Some(1_000_000);
    let error = render(&huge, LIMIT).err().expect("too large");
    assert_eq!(error.kind, ErrorKind::InputTooLarge);
    assert!(
        error.message.contains("limitInputPixels"),
        "{}",
        error.message
    );
}

#[test]
fn empty_text_and_broken_markup_are_invalid_and_a_missing_fontfile_only_warns() {
    for text in ["", " ", "<span>open", "a & b"] {
        let error = render(&spec(text), LIMIT).err().expect(text);
        assert_eq!(error.kind, ErrorKind::InvalidOption, "{text:?}");
    }
    let mut missing = spec("still drawn");
    missing.fontfile = Some("no-such-font-file.ttf".to_owned());
    let text = drawn(&missing);
    assert_eq!(text.warnings.len(), 1, "{:?}", text.warnings);
    assert!(text.image.width > 0);
}
