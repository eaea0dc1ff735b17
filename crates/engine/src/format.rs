use crate::spec::Format;

/// A JPEG XL file in its ISOBMFF container (a bare codestream starts FF 0A).
const JXL_CONTAINER: &[u8] = b"\0\0\0\x0cJXL \r\n\x87\n";

/// pixelpool's raw container (decode/raw.rs) starts with these bytes.
pub const RAW_MAGIC: &[u8; 16] = b"\0pixelpool-raw\0\0";

/// Recognises an input by its first bytes, never by its file name.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(&bytes[8..12], b"avif" | b"avis")
    {
        Some(Format::Avif)
    } else if bytes.starts_with(RAW_MAGIC) {
        Some(Format::Raw)
    } else if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|signature| bytes.starts_with(*signature))
    {
        // Classic TIFF (42) and BigTIFF (43), either byte order.
        Some(Format::Tiff)
    } else if bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(JXL_CONTAINER) {
        Some(Format::Jxl)
    } else if is_svg(bytes) {
        Some(Format::Svg)
    } else {
        None
    }
}

/// Recognised as libvips does, by markup whose first kilobytes hold an `<svg` tag, or a
/// `<!DOCTYPE svg` (whose entities may push the tag further).
pub fn is_svg(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = &start[start.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let head = &start[..start.len().min(4096)];
    let holds = |tag: &[u8]| head.windows(tag.len()).any(|w| w == tag);
    start.starts_with(b"<") && (holds(b"<svg") || holds(b"<!DOCTYPE svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_signature() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(sniff(b"GIF89a"), Some(Format::Gif));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif"), Some(Format::Avif));
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Some(Format::Tiff));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Some(Format::Tiff));
        assert_eq!(sniff(b"II+\0\x08\0\0\0"), Some(Format::Tiff));
        assert_eq!(sniff(b"MM\0+\0\x08\0\0"), Some(Format::Tiff));
        assert_eq!(sniff(&[0xFF, 0x0A, 0xFA]), Some(Format::Jxl));
        assert_eq!(sniff(b"\0\0\0\x0cJXL \r\n\x87\n\0"), Some(Format::Jxl));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Some(Format::Svg)
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF <?xml version='1.0'?>\n<svg>"),
            Some(Format::Svg)
        );
        assert_eq!(sniff(b"<html><body></body></html>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"hello world"), None);
    }
}
