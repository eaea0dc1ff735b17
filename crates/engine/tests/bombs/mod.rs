//! Hostile SVGs for tests/hostile.rs: broken, bombs of every kind of reference, and
//! drawings whose cost passes the work budget.

/// An SVG of `width` x `height` user units.
fn svg(width: u32, height: u32, defs: &str, body: &str) -> Vec<u8> {
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>\
         <defs>{defs}</defs>{body}</svg>"
    )
    .into_bytes()
}

/// Ten patterns of ten rectangles each painted with the pattern below: 10^9 tiles drawn
/// for one fill, 5 kB of text. `units` is patternUnits.
fn svg_pattern_bomb(units: &str) -> Vec<u8> {
    let size = if units == "userSpaceOnUse" { 10 } else { 1 };
    let pattern = |id: u32, content: String| {
        format!(
            "<pattern id='p{id}' width='{size}' height='{size}' patternUnits='{units}'>\
             {content}</pattern>"
        )
    };
    let mut defs = pattern(0, "<rect width='10' height='10'/>".into());
    for level in 1..10 {
        let rects = format!("<rect width='10' height='10' fill='url(#p{})'/>", level - 1);
        defs.push_str(&pattern(level, rects.repeat(10)));
    }
    svg(
        100,
        100,
        &defs,
        "<rect width='100' height='100' fill='url(#p9)'/>",
    )
}

/// 200 circles at each of 20,000 vertices of one polyline.
fn svg_marker_bomb() -> Vec<u8> {
    let points: String = (0..20_000)
        .map(|i| format!("{},{} ", i % 100, (i * 7) % 100))
        .collect();
    let marker = format!("<marker id='m'>{}</marker>", "<circle r='3'/>".repeat(200));
    let line = format!("<polyline points='{points}' marker-mid='url(#m)' stroke='#000'/>");
    svg(100, 100, &marker, &line)
}

/// An SVG whose `<use>` elements, each referencing the level below ten times, stand for
/// 10^`levels` elements.
fn svg_use_bomb(levels: u32) -> Vec<u8> {
    let mut defs = String::from("<rect id='u0' width='1' height='1'/>");
    for level in 1..levels {
        let uses: String = (0..10)
            .map(|_| format!("<use href='#u{}'/>", level - 1))
            .collect();
        defs.push_str(&format!("<g id='u{level}'>{uses}</g>"));
    }
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><defs>{defs}</defs>\
         <use href='#u{}'/></svg>",
        levels - 1
    )
    .into_bytes()
}

/// Billion laughs: `levels` entities of ten references each.
fn svg_entity_bomb(levels: u32) -> Vec<u8> {
    let mut dtd = String::from("<!ENTITY e0 'lol'>");
    for level in 1..levels {
        let refs: String = (0..10).map(|_| format!("&e{};", level - 1)).collect();
        dtd.push_str(&format!("<!ENTITY e{level} '{refs}'>"));
    }
    format!(
        "<!DOCTYPE svg [{dtd}]><svg xmlns='http://www.w3.org/2000/svg' width='9' \
         height='9'><text>&e{};</text></svg>",
        levels - 1
    )
    .into_bytes()
}

/// Every hostile SVG, named.
pub fn svg_inputs() -> Vec<(String, Vec<u8>)> {
    vec![
        ("svg billion laughs".into(), svg_entity_bomb(10)),
        ("svg use bomb".into(), svg_use_bomb(10)),
        (
            "svg nested 100000 deep".into(),
            format!("<svg>{}", "<g>".repeat(100_000)).into_bytes(),
        ),
        (
            "svg claims 1000000x1000000".into(),
            b"<svg xmlns='http://www.w3.org/2000/svg' width='1e6' height='1e6'/>".to_vec(),
        ),
        (
            "svg feTurbulence of 33333333333 octaves".into(),
            svg(
                100,
                100,
                "<filter id='f'><feTurbulence numOctaves='33333333333'/></filter>",
                "<rect width='100' height='100' filter='url(#f)'/>",
            ),
        ),
        (
            "svg pattern bomb".into(),
            svg_pattern_bomb("objectBoundingBox"),
        ),
        (
            "svg pattern bomb in user space".into(),
            svg_pattern_bomb("userSpaceOnUse"),
        ),
        (
            "svg pattern tile of 100000x100000".into(),
            svg(
                100,
                100,
                "<pattern id='p' width='100000' height='100000' patternUnits='userSpaceOnUse'>\
                 <rect width='10' height='10'/></pattern>",
                "<rect width='100' height='100' fill='url(#p)'/>",
            ),
        ),
        ("svg marker bomb".into(), svg_marker_bomb()),
        (
            "svg 20000 masks".into(),
            svg(
                2000,
                2000,
                "<mask id='m'><rect width='100' height='100' fill='#fff'/></mask>",
                &"<rect width='100' height='100' mask='url(#m)'/>".repeat(20_000),
            ),
        ),
        (
            "svg feMorphology of radius 5000".into(),
            svg(
                1000,
                1000,
                "<filter id='f'><feMorphology radius='5000'/></filter>",
                "<rect width='1000' height='1000' filter='url(#f)'/>",
            ),
        ),
        ("svg tag only".into(), b"<svg".to_vec()),
    ]
}
